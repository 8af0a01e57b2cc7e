"""The resident searcher: a background process that keeps indexes open for the `vnsearch` command.

A command-line search pays for starting Python and importing numpy, Whoosh and click (about
250 ms) before it reads anything, and then for a cold index. The resident searcher pays that once:
`vnsearch search`, `show` and `stats` hand their arguments to it over a Unix socket, it runs the
very same click command against indexes it keeps open, and streams the output back.

- `wire.py`: the socket's place and permissions, the code version, the frames (standard library only);
- `client.py`: the `vnsearch` entry point: relay to the searcher, else run the command here;
- `server.py`: the searcher's loop; `keeper.py`: the indexes it keeps open.
"""
