"""The approval queue, its audit log and the executors.

Public entry points: :func:`approvals.queue.propose`, ``approve``, ``reject``,
``expire_stale``, ``list_approvals``, ``blocked_proposals``;
:func:`approvals.executor.execute` and ``approve_and_execute``;
:func:`approvals.worker.run_worker`.
"""
