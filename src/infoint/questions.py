"""A bank of strong, specific questions for an informational interview, by goal.

Good questions are ones the person is uniquely placed to answer and that a web
search could not: about their path, their judgement, and their field as it is now.
"""

from __future__ import annotations

from infoint.vocabulary import QUESTION_GOALS

BANK: dict[str, tuple[str, ...]] = {
    "career-switch": (
        "What did you do before this role, and what made the switch work?",
        "Which of my current skills would carry over, and which would I have to rebuild?",
        "What surprised you most in your first year in this field?",
        "If you were switching into this field today, what would you do first?",
        "What do people who switch in from outside usually get wrong?",
    ),
    "skills": (
        "Which skills do you look for when you hire someone at my level?",
        "What does a strong piece of work in your field look like, concretely?",
        "Which skill took you longest to build, and how did you build it?",
        "What would you study if you had six months to prepare for a role like yours?",
    ),
    "industry": (
        "How has your field changed in the last three years, and where is it heading?",
        "Which companies or teams do you think are doing the most interesting work?",
        "What do outsiders misunderstand about this industry?",
        "Where do people in your field learn and meet each other?",
    ),
    "company": (
        "What does a typical week look like for you?",
        "How does work get decided and reviewed on your team?",
        "What kind of person thrives here, and who struggles?",
        "What would you want someone joining your team to know in their first month?",
    ),
    "mentor": (
        "What is one decision early in your career you would make differently?",
        "Who else should I talk to, and may I mention that you suggested it?",
        "What should I read or follow to keep learning about this?",
        "Is there anything I could help you with in return?",
    ),
}
GOALS = QUESTION_GOALS  # the bank's keys, in its order (the tests hold the two together)


def listed(goal: str | None = None) -> list[tuple[str, str]]:
    """(goal, question) pairs, numbered by their place in this list."""
    goals = [goal] if goal else list(GOALS)
    return [(g, q) for g in goals for q in BANK[g]]
