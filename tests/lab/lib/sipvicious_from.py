#!/usr/bin/env python3
"""Runs a sipvicious tool with its socket bound to a given local address.

Usage: sipvicious_from.py ADDRESS TOOL [ARGS...]

sipvicious 0.3.3 (Debian 12) accepts -b/--bindingip in every tool, but only svmap passes it on: svwar and
svcrack bind to all addresses, so on one host their requests leave from 127.0.0.1, the lab PBX's own
address. This binds the tool's sockets to ADDRESS instead; the tool itself runs unchanged.
"""
import os
import runpy
import shutil
import socket
import sys

address, tool, *arguments = sys.argv[1:]
original_bind = socket.socket.bind


def bind_to_address(self, where):
    if where[0] in ('', '0.0.0.0'):
        where = (address, *where[1:])
    return original_bind(self, where)


socket.socket.bind = bind_to_address
script = os.path.realpath(shutil.which(tool))
# As when the script runs itself: its own folder (where the package lives) first on the path.
sys.path.insert(0, os.path.dirname(script))
sys.argv = [tool, *arguments]
runpy.run_path(script, run_name='__main__')
