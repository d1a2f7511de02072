"""wijkbot: an assistant for Dutch sociale wijkteams."""

from bot.threads import limit_native_threads as _limit_native_threads

# Before anything imports numpy: native thread pools default to WIJKBOT_THREADS (issue #12).
_limit_native_threads()
