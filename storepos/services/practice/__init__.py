"""The practice area (trainers): scenarios, sessions on the practice database, scoring, progress.

Isolation.  Practice runs on its OWN database (``Settings.practice_target``, default
HOME/practice.db).  :func:`prepare` opens it and, when it is new (or a trainer asks,
:func:`seed_from_live`), copies the live store's catalog, prices, staff (same PIN hashes; the
pepper file is shared) and customers into it.  The live database is only ever READ, through a
separate read-only connection (:func:`open_readonly`); its sales, stock moves and audit are never
copied and never written.  The practice database carries the mark ``database_role = practice`` in
storepos_meta and every practice write checks it (:func:`require_practice_db`).

Scenarios are data: fixtures/practice/scenarios.toml (validated on load: a problem names the file
and the scenario), plus scenarios a trainer adds in the app (:func:`add_scenario`, stored in the
practice database and audited).

A session: the trainer picks a trainee and a scenario (:func:`start_session`); the trainee works
the whole journey on the real screens (visit, needs, quote, negotiation, checkout, follow-up)
while the trainer plays the customer; :func:`end_session` collects what the trainee recorded in
the session's window (Visit, Quote, Sale rows and the audit trail: each step with its time) and
scores the objective points (:func:`objective`); the trainer scores the five rubric areas of
SOP §9 1-5 with a comment each (:func:`score_session`).  :func:`score_card` shows both, with what
was missed; :func:`progress` and :func:`export_progress_csv` show each trainee over time.

For the manager's staff performance (issue 9), :func:`latest_scores` reads the practice database
read-only from the live app::

    from storepos.services import practice
    scores = practice.latest_scores(["1001", "1002"], target=settings.practice_target)

The modules, one job each:

- ``scenarios``: the shipped scenario file and the trainer's own (load, validate, add);
- ``isolation``: the practice mark, the same-file check, read-only connections;
- ``seeding``: copying the live catalog, prices, staff and customers into practice;
- ``database``: opening the practice database for the app (:func:`prepare`);
- ``steps``: a session's steps from the trainee's audit trail, by stage of the journey;
- ``records``: what the trainee recorded in a session's window;
- ``objective_points``: the objective points read from those records;
- ``sessions``: start, refresh, end, cancel; the running sessions;
- ``rubric``: the trainer's rubric scores;
- ``score_card``: both side by side, the steps, what was missed;
- ``trainee_progress``: a trainee's scored sessions over time, and their CSV;
- ``staff_performance``: practice scores read from the live app;
- ``home``: the home screen's notice.
"""

from __future__ import annotations

from storepos.services.practice.database import prepare
from storepos.services.practice.home import home_notices
from storepos.services.practice.isolation import (
    ROLE_KEY,
    is_practice_db,
    mark_as_practice,
    open_readonly,
    require_practice_db,
    same_database,
)
from storepos.services.practice.objective_points import (
    FOLLOW_UP_COUNTERS,
    ObjectiveCard,
    ObjectiveItem,
    objective,
    percent,
)
from storepos.services.practice.records import Records, records_of
from storepos.services.practice.rubric import COMMENT_MAX, parse_score, rubric_codes, score_session, scores_of
from storepos.services.practice.scenarios import (
    SCENARIO_FILE,
    PracticeScenario,
    ScenarioError,
    add_scenario,
    approach_within_seconds,
    fixture_scenarios,
    get_scenario,
    load_scenario_file,
    parse_scenario,
    scenario_title,
    scenarios,
    sop_label,
    validate_scenarios,
)
from storepos.services.practice.score_card import RubricRow, ScoreCard, StepRow, score_card
from storepos.services.practice.seeding import LiveCopy, SeedResult, apply_seed, read_live, seed_from_live
from storepos.services.practice.sessions import (
    cancel_session,
    end_session,
    get_session,
    refresh_steps,
    SessionRow,
    running,
    session_rows,
    sessions,
    start_session,
    trainee_of,
    trainees,
)
from storepos.services.practice.staff_performance import PracticeScores, latest_scores
from storepos.services.practice.steps import STAGES, stage_of
from storepos.services.practice.trainee_progress import (
    AreaProgress,
    Progress,
    ProgressRow,
    export_progress_csv,
    progress,
    trainees_with_sessions,
)

__all__ = [
    # scenarios
    "SCENARIO_FILE", "ScenarioError", "PracticeScenario", "sop_label", "parse_scenario",
    "load_scenario_file", "fixture_scenarios", "approach_within_seconds", "validate_scenarios",
    "scenarios", "get_scenario", "scenario_title", "add_scenario",
    # the practice database
    "ROLE_KEY", "open_readonly", "is_practice_db", "require_practice_db", "mark_as_practice",
    "same_database", "SeedResult", "LiveCopy", "read_live", "apply_seed", "seed_from_live",
    "prepare",
    # sessions
    "STAGES", "stage_of", "get_session", "trainee_of", "trainees", "running", "sessions",
    "SessionRow", "session_rows", "start_session", "Records", "records_of", "refresh_steps", "end_session", "cancel_session",
    # scoring
    "FOLLOW_UP_COUNTERS", "ObjectiveItem", "ObjectiveCard", "percent", "objective", "COMMENT_MAX",
    "rubric_codes", "parse_score", "score_session", "scores_of", "RubricRow", "StepRow",
    "ScoreCard", "score_card",
    # progress
    "ProgressRow", "AreaProgress", "Progress", "progress", "trainees_with_sessions",
    "export_progress_csv", "PracticeScores", "latest_scores",
    # home
    "home_notices",
]
