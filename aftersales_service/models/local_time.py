"""The user's time zone, for what the add-on dates on the user's day."""

import pytz


def user_tz_name(env):
    """The time zone of ``env``: its context's, else its user's, else UTC;
    UTC also for a name that pytz (and PostgreSQL) does not know."""
    name = env.context.get("tz") or env.user.tz or "UTC"
    return name if name in pytz.all_timezones_set else "UTC"
