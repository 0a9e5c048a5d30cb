"""Every legal move of a hazard, and who may make it: the one table the rest obeys.

Pure: no database, no request. `refusal()` answers, for an action on a hazard in some
state, what stops this person, so the API, the PWA's buttons and the tests all read
the same rules.
"""

import enum
from dataclasses import dataclass

from app.hazards.models import OPEN_STATES, State


class Action(enum.StrEnum):
    ASSIGN = "assign"  # 交办: rectifier, responsibility, measures, funds, deadline
    RECTIFY = "rectify"  # 整改完成: the rectifier's after-photo and note
    VERIFY = "verify"  # 验收销号: someone else checks and closes it out
    REJECT = "reject"  # 验收不通过: back to the rectifier, with a reason
    PASS_UP = "pass_up"  # 上报上级: beyond the school's means, to the township or county
    VOID = "void"  # 作废: a false report
    MERGE = "merge"  # 合并: a duplicate of another open hazard
    SUPERVISE = "supervise"  # 挂牌督办
    UNSUPERVISE = "unsupervise"  # 摘牌


class Who(enum.Enum):
    MANAGER = "a safety officer, principal or supervisor responsible for the hazard"
    RECTIFIER = "the person assigned to rectify it"
    VERIFIER = "a manager responsible for the hazard other than its rectifier"
    COUNTY = "a county administrator"


@dataclass(frozen=True)
class Move:
    sources: frozenset[State]
    target: State | None  # None: the state does not change
    who: Who


MOVES: dict[Action, Move] = {
    Action.ASSIGN: Move(frozenset({State.REPORTED, State.ASSIGNED}), State.ASSIGNED, Who.MANAGER),
    Action.RECTIFY: Move(frozenset({State.ASSIGNED}), State.RECTIFIED, Who.RECTIFIER),
    Action.VERIFY: Move(frozenset({State.RECTIFIED}), State.CLOSED, Who.VERIFIER),
    Action.REJECT: Move(frozenset({State.RECTIFIED}), State.ASSIGNED, Who.VERIFIER),
    Action.PASS_UP: Move(frozenset({State.REPORTED, State.ASSIGNED}), State.REPORTED, Who.MANAGER),
    Action.VOID: Move(frozenset({State.REPORTED, State.ASSIGNED}), State.VOIDED, Who.MANAGER),
    Action.MERGE: Move(frozenset({State.REPORTED, State.ASSIGNED}), State.VOIDED, Who.MANAGER),
    Action.SUPERVISE: Move(OPEN_STATES, None, Who.COUNTY),
    Action.UNSUPERVISE: Move(OPEN_STATES, None, Who.COUNTY),
}

#: under listed supervision, only the county ends a hazard
COUNTY_ONLY_WHEN_SUPERVISED = frozenset({Action.VERIFY, Action.VOID, Action.MERGE})


@dataclass(frozen=True)
class Actor:
    """What matters about a person for one hazard."""

    manages: bool  # a manager whose area includes the hazard's current holder
    rectifier: bool  # the hazard's assigned rectifier
    county: bool  # a county administrator of the hazard's county


@dataclass(frozen=True)
class Refusal:
    status: int
    error: str
    message: str


def _illegal(action: Action, state: State, why: str = "") -> Refusal:
    return Refusal(409, "illegal_transition",
                   why or f"A hazard that is {state.value} cannot be {_PAST[action]}.")


_PAST = {
    Action.ASSIGN: "assigned", Action.RECTIFY: "marked rectified", Action.VERIFY: "verified",
    Action.REJECT: "rejected", Action.PASS_UP: "passed up", Action.VOID: "voided", Action.MERGE: "merged",
    Action.SUPERVISE: "put under listed supervision", Action.UNSUPERVISE: "taken off listed supervision",
}


def refusal(action: Action, state: State, actor: Actor, supervised: bool = False,
            at_top: bool = False) -> Refusal | None:
    """What stops `actor` from taking `action` on a hazard in `state`; None if nothing does.

    The state is checked first (409), then the person (403). `at_top`: the hazard is
    already held by the county, so it cannot be passed up further.
    """
    move = MOVES[action]
    if state not in move.sources:
        return _illegal(action, state)
    if action is Action.SUPERVISE and supervised:
        return _illegal(action, state, "This hazard is already under listed supervision.")
    if action is Action.UNSUPERVISE and not supervised:
        return _illegal(action, state, "This hazard is not under listed supervision.")
    if action is Action.PASS_UP and at_top:
        return _illegal(action, state, "This hazard is already with the county: there is no one above to pass it to.")
    if move.who is Who.VERIFIER and actor.rectifier:
        return Refusal(403, "own_work", "You rectified this hazard: someone else must verify it.")
    who = Who.COUNTY if supervised and action in COUNTY_ONLY_WHEN_SUPERVISED else move.who
    if not _is(who, actor):
        if who is Who.COUNTY and supervised and action is not Action.SUPERVISE:
            return Refusal(403, "county_only", "This hazard is under listed supervision: only the county may "
                                               f"have it {_PAST[action]}.")
        return Refusal(403, "forbidden", f"Only {who.value} may have it {_PAST[action]}.")
    return None


def _is(who: Who, actor: Actor) -> bool:
    return {
        Who.MANAGER: actor.manages,
        Who.RECTIFIER: actor.rectifier,
        Who.VERIFIER: actor.manages,
        Who.COUNTY: actor.county,
    }[who]


def target_state(action: Action, state: State) -> State:
    """The state a legal move leaves the hazard in."""
    return MOVES[action].target or state


def allowed_actions(state: State, actor: Actor, supervised: bool, at_top: bool) -> list[Action]:
    """The actions this person may take now: the buttons the PWA shows."""
    return [a for a in Action if refusal(a, state, actor, supervised, at_top) is None]
