"""Executes one notebook with nbclient for the Go runner (package nbrun).

usage: execute.py IN.ipynb OUT.ipynb STATUS.json CELL_TIMEOUT_SECONDS

The kernel named in the notebook runs in IN's directory, so that the notebook
finds the repository from there; IN is never written. The run stops at the
first cell that fails. OUT receives the notebook with the outputs so far, also
after a failure, and STATUS a JSON object:

    {"cell": index of the failing cell or -1,
     "kind": "" | "error" | "timeout" | "dead" | "internal",
     "message": what went wrong,
     "seconds": [seconds each executed code cell took, by cell index]}

The exit code is 0 when STATUS was written, whatever happened in the notebook.
"""

import json
import os
import sys
import time
import traceback

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

TIMEOUT_ENAME = "CellTimeout"


def main():
    src, dst, status_path, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    nb = nbformat.read(src, as_version=4)
    status = {"cell": -1, "kind": "", "message": "", "seconds": {}}
    current = {"cell": -1, "start": 0.0}

    def on_cell_start(cell, cell_index, **_):
        current["cell"], current["start"] = cell_index, time.monotonic()

    def on_cell_executed(cell, cell_index, **_):
        status["seconds"][str(cell_index)] = round(time.monotonic() - current["start"], 3)

    client = NotebookClient(
        nb,
        timeout=timeout,
        # On a timeout, interrupt the kernel (GoNB then stops the cell's
        # program) and fail the cell with this error instead of waiting.
        interrupt_on_timeout=True,
        error_on_timeout={
            "ename": TIMEOUT_ENAME,
            "evalue": "the cell ran for more than %d seconds" % timeout,
            "traceback": [],
        },
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )
    try:
        client.execute()
    except CellExecutionError as e:
        status["cell"] = current["cell"]
        if getattr(e, "ename", "") == TIMEOUT_ENAME:
            status["kind"] = "timeout"
            status["message"] = "timed out: the cell ran for more than %d seconds" % timeout
        else:
            status["kind"] = "error"
            status["message"] = "%s: %s" % (getattr(e, "ename", ""), getattr(e, "evalue", str(e)))
    except CellTimeoutError as e:
        status["cell"], status["kind"] = current["cell"], "timeout"
        status["message"] = str(e).splitlines()[0] if str(e) else "timed out"
    except DeadKernelError as e:
        status["cell"], status["kind"] = current["cell"], "dead"
        status["message"] = "the kernel died: %s" % e
    except Exception:  # anything else: report it, with the cell that was running
        status["cell"], status["kind"] = current["cell"], "internal"
        status["message"] = traceback.format_exc()
    nbformat.write(nb, dst)
    with open(status_path, "w") as f:
        json.dump(status, f)


if __name__ == "__main__":
    main()
