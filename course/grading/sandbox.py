"""The kernel manager of grading kernels: started in the sandbox, read through bounded queues.

Starting the kernel is :class:`~course.grading.provisioner.SandboxProvisioner`'s work. What
stays here is on the grader's side of the connection, which a provisioner does not own: the
kernel spec that names the provisioner, and the client's zmq context.
"""

from __future__ import annotations

import os
from typing import Any

import zmq
import zmq.asyncio
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer

from .provisioner import PROVISIONER

RECEIVE_QUEUE = 64
_contexts: dict[tuple[int, int], zmq.asyncio.Context] = {}


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start through the ``course-sandbox`` provisioner and
    whose clients drop what they cannot hold."""

    max_message_bytes = Integer(
        32 * 1024**2, help="Largest message the grader accepts from a kernel; a larger one "
                           "is dropped (its output is lost), so no single print can make "
                           "the grader hold gigabytes.",
    ).tag(config=True)

    @property
    def kernel_spec(self) -> KernelSpec | None:
        """The notebook's kernel spec, naming the sandbox as its provisioner (whatever the
        installed spec names: a grading kernel never starts outside it)."""
        spec = super().kernel_spec
        if spec is not None:
            spec.metadata["kernel_provisioner"] = {"provisioner_name": PROVISIONER,
                                                   "config": {}}
        return spec

    def client(self, **kwargs: Any):
        """A client whose sockets queue at most ``RECEIVE_QUEUE`` messages of at most
        ``max_message_bytes`` each: output a kernel sends faster than the grader reads is
        dropped, not held in the grader's memory."""
        kwargs.setdefault("context", _bounded_context(self.max_message_bytes))
        return super().client(**kwargs)


def _bounded_context(max_bytes: int) -> zmq.asyncio.Context:
    """One zmq context per process (workers are forks) whose sockets are bounded."""
    key = (os.getpid(), max_bytes)
    if key not in _contexts:
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.RCVHWM, RECEIVE_QUEUE)
        context.setsockopt(zmq.MAXMSGSIZE, max_bytes)
        _contexts[key] = context
    return _contexts[key]
