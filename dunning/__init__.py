"""The proactive half: dunning cadence, worklist, credit risk, analytics, learning.

- :mod:`dunning.run`: ``plan_dunning`` / ``run_dunning`` (cadence + never-contact rules);
  :mod:`dunning.snapshot` loads what a run reads in bulk, :mod:`dunning.rules` is the
  policy view, :mod:`dunning.drafts` renders ``prompts/templates/dunning/*.j2``,
  :mod:`dunning.proposals` builds the actions;
- :mod:`dunning.worklist` (with :mod:`dunning.behaviour`): who to work first;
- :mod:`dunning.credit`: ``change_credit`` proposals for flagged accounts;
- :mod:`dunning.analytics` (with :mod:`dunning.book`, :mod:`dunning.forecast`): KPIs,
  monthly series, cash-in forecast and its backtest;
- :mod:`dunning.learning`: frequent approver edits as suggestions.
"""
