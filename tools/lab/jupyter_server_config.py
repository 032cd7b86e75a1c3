# The lab's Jupyter Server settings. install.sh copies this file into the
# venv's config dir (tools/lab/.venv/etc/jupyter/jupyter_server_config.py),
# so they hold however the venv's server starts: tools/lab/start.sh, the
# Docker image's start.sh or jupyterhub-singleuser. Rerun install.sh after
# editing it.
# (c, the config object, is defined by Jupyter when it reads this file.)

import logging

from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

# The kernel status. JupyterLab shows a kernel's status from its iopub
# "status" messages (busy, idle) but skips those whose parent request is one
# of the server's untracked_message_types, which include kernel_info_request.
# Right after a kernel starts JupyterLab sends two requests: kernel_info and
# history. IPython answers the history request, with busy and idle around it,
# so a Python kernel shows Idle at once; GoNB v0.11.4 ignores history
# requests, so its only status messages are those around kernel_info, which
# JupyterLab skips, and the status said "Unknown" until the first cell ran.
# Tracking kernel_info_request too makes it say "Idle" as soon as the kernel
# answers. (Upstream dropped these messages so that a kernel_info answered
# during a long cell could not show a busy kernel as idle; GoNB answers
# kernel_info only after the running cell, so that cannot happen with it.)
# The server's own activity tracking then also counts kernel_info requests
# (a browser tab connecting to a kernel), which matters only for culling idle
# kernels and servers.
c.MappingKernelManager.untracked_message_types = [
    t
    for t in MappingKernelManager.class_traits()["untracked_message_types"].default()
    if t != "kernel_info_request"
]


# The websocket ping warning. Jupyter Server pings each kernel websocket
# itself (every 30000 ms, closing it after 90000 ms without an answer), and
# gives Tornado the same two numbers as its own ping settings, which Tornado
# 6.5 and later reads as seconds: its own ping would come every 8.3 hours,
# and it warns once per server that "The websocket_ping_timeout (90000)
# cannot be longer than the websocket_ping_interval (30000)". The warning
# is about that inert ping only, so it is noise here. No setting removes it
# without harm: ws_ping_interval=0 turns off the real keep-alive (which a
# proxy in front of the Docker image needs), and a ws_ping_timeout no longer
# than the interval makes Jupyter Server close healthy websockets whenever a
# ping runs a few milliseconds late on a busy machine. So only this one
# message is dropped.
class _TornadoPingClampFilter(logging.Filter):
    def filter(self, record):
        return "cannot be longer than the websocket_ping_interval" not in record.getMessage()


logging.getLogger("tornado.general").addFilter(_TornadoPingClampFilter())

# Go is the default kernel, however the server starts (the lab, the image,
# jupyterhub-singleuser).
c.MappingKernelManager.default_kernel_name = "gonb"
