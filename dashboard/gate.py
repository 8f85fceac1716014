"""The console's front door: the one-time token of a console started without codes.

Why before any page: ``drillsim console`` with no access codes prints an address with a
one-time token (as Jupyter does). Only a browser tab that brought the token, or typed
it, is let in; a page elsewhere that reaches the port (DNS rebinding, another user of
the machine) is not. The entry script calls :func:`require_token` before navigation, so
no page, opened by whatever address, draws or acts without it.
"""

from __future__ import annotations

import logging
import time

import streamlit as st

from dashboard import state
from drills import access
from i18n import _

ADMITTED = "admitted"  # not for people: session key
TOKEN_INPUT = "token_input"  # not for people: widget key
_LOG = logging.getLogger("drillsim.console")


def _try(token: str) -> bool:
    stored = access.server_token()
    delay = access.THROTTLE.delay(access.TOKEN_PARAM)
    if delay:
        time.sleep(delay)
    ok = access.admit(token, stored)
    failures = access.THROTTLE.record(access.TOKEN_PARAM, ok)
    if not ok:
        _LOG.warning(
            _("drillsim console: a wrong token was given ({n} in a row)").format(n=failures)
        )
    return ok


def _typed() -> None:
    state.begin_run()
    if _try(str(st.session_state.get(TOKEN_INPUT, "")).strip()):
        st.session_state[ADMITTED] = True
    else:
        state.flash("error", _("That is not this console's token."))
    st.session_state[TOKEN_INPUT] = ""


def require_token() -> None:
    """Let the tab in when no token is needed or it brought the right one; else stop."""
    if not access.server_token() or st.session_state.get(ADMITTED):
        return
    given = st.query_params.get(access.TOKEN_PARAM)
    if given and _try(str(given)):
        st.session_state[ADMITTED] = True
        return
    state.begin_run()
    st.title(_("drillsim console"))
    message = state.pop_flash()
    if message:
        getattr(st, message[0])(message[1])
    st.warning(
        _(
            "This console was started without access codes, so it opens only with the "
            "one-time token printed by `drillsim console` (the address ending in ?token=...). "
            "Open that address, or type the token here."
        )
    )
    st.text_input(_("Token"), type="password", key=TOKEN_INPUT)
    st.button(_("Open the console"), key="open_console", on_click=_typed)
    st.stop()
