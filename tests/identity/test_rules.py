"""Pure identity rules: pseudonyms, passwords, roles."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from server.errors import DomainError
from server.identity.passwords import hash_password, verify_password
from server.identity.pseudonyms import check_pseudonym, pseudonym_key
from server.identity.roles import Role, can_grant


@given(st.text(max_size=60))
def test_check_pseudonym_accepts_or_refuses_cleanly(raw: str) -> None:
    try:
        name = check_pseudonym(raw)
    except DomainError as error:
        assert error.code.value == "invalid"
    else:
        assert 2 <= len(name) <= 24 and check_pseudonym(name) == name


def test_lookalike_pseudonyms_share_a_key() -> None:
    assert pseudonym_key("Quiet Owl") == pseudonym_key("quiet.owl") == pseudonym_key("ＱＵＩＥＴ＿owl".replace("＿", "_"))


def test_passwords_verify_and_unknown_users_fail() -> None:
    stored = hash_password("correct horse battery")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "wrong")
    assert not verify_password(None, "anything")
    assert not verify_password("not-a-hash", "anything")


def test_only_admins_grant_and_never_above_themselves() -> None:
    assert can_grant(Role.ADMIN, Role.PEER, Role.MODERATOR)
    assert not can_grant(Role.MODERATOR, Role.PEER, Role.FACILITATOR)
    assert not can_grant(Role.ADMIN, Role.ADMIN, Role.PEER)
    assert not can_grant(Role.FACILITATOR, Role.FACILITATOR, Role.MODERATOR)
