"""Chorus from Python: a client for studies, a worker for your own training, and ask and tell.

.. code-block:: python

    import chorus

    study = chorus.Client("http://localhost:8080").create_study("study.yaml", start=True)
    chorus.Worker("http://localhost:8080").run(train)      # train(trial) -> {task: chorus.Result}
    print(study.wait().state, study.recommendation())

PyTorch weightings live in ``chorus.torch``, imported explicitly; this package itself needs nothing
beyond the standard library.
"""

from .client import Client, Study
from .errors import (BadRequest, ChorusError, Conflict, LeaseLost, NotFound, Pruned, ServerError, Unauthorized,
                     Unreachable)
from .models import (Baseline, Candidate, Front, FrontMember, Interval, Recommendation, Reference, Report, Score,
                     Settings, Sharing, Split, StudyInfo, TaskDeltas, TaskInfo, TaskResult, TrialSnapshot, Tuning)
from .trial import Result, Task, Trial
from .worker import Worker

__version__ = "0.1.0"

__all__ = [
    "Client", "Study", "Worker", "Trial", "Result", "Task",
    "ChorusError", "BadRequest", "Unauthorized", "NotFound", "Conflict", "LeaseLost", "ServerError",
    "Unreachable", "Pruned",
    "Baseline", "Candidate", "Front", "FrontMember", "Interval", "Recommendation", "Reference", "Report",
    "Score", "Settings", "Sharing", "Split", "StudyInfo", "TaskDeltas", "TaskInfo", "TaskResult",
    "TrialSnapshot", "Tuning",
]
