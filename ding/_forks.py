"""What a forked child inherited from its parent: how it is told apart, and what is done with it.

After ``fork()`` the child shares the parent's epoll instance: closing or unregistering an
inherited socket in the child removes it from the parent's selector too, and the parent's
next pooled request hangs. So the child abandons what it inherited -- the facade's event loop
and its thread, aiohttp sessions and their loops -- and builds its own: :func:`abandon` keeps
them referenced for the life of the process, so that no finalizer closes them either.

What a process made is told apart by the process id (a fork from C, as uWSGI's preforking
does, runs no at-fork hook) and by :func:`generation`, which the at-fork hook moves on in
every child (pid namespaces can hand a child its parent's pid).
"""

from __future__ import annotations

import os

__all__ = ["abandon", "generation"]

_abandoned: list[object] = []
_generation = 0


def abandon(*objects: object) -> None:
    """Keep ``objects`` alive for the life of this process without ever closing them."""
    _abandoned.extend(objects)


def generation() -> int:
    """How many forks, with at-fork hooks, lead from the first process to this one."""
    return _generation


def _after_fork_in_child() -> None:
    global _generation
    _generation += 1


os.register_at_fork(after_in_child=_after_fork_in_child)
