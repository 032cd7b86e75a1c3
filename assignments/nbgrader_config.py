# nbgrader's configuration for the course's Go assignments (make assignments).
# The instructor's notebooks are generated into source/ from the *.nbsrc files
# here; release/ is what students get; submitted/, autograded/ and feedback/
# are nbgrader's usual folders.
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "dlgo"

# What replaces "// BEGIN SOLUTION ... // END SOLUTION" in Go notebooks. panic
# is a terminating statement, so a function with results still compiles.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
    "go": '// YOUR CODE HERE\npanic("not implemented")',
}

# GoNB compiles every cell with go build: allow a cold build cache.
c.Execute.timeout = 180

# Grade with plain-text compile errors (a copy of the gonb kernel with
# -raw_error=true, installed by tools/grader/install.sh); students keep gonb.
c.Execute.kernel_name = "gonb-raw"

# GoNB reports no pygments lexer: colour feedback as Go, not as Python.
from nbconvert.filters.highlight import Highlight2HTML  # noqa: E402

c.HTMLExporter.filters = {"highlight_code": Highlight2HTML(pygments_lexer="go")}
