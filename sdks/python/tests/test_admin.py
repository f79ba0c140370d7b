"""Admin APIs through the SDK: a key's whole lifecycle, a team with a member, and spend queries."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from conftest import DEMO_REPLY
from tollgate import TEAM_ROLE_ADMIN, AuthenticationError, NotFoundError, Tollgate
from tollgate.v1 import spend_pb2

HELLO = [{"role": "user", "content": "Hello?"}]


# generate → use → info → update → list → block/unblock → regenerate → delete, all over gRPC.
def test_key_lifecycle(admin: Tollgate, connect: Callable[..., Tollgate]) -> None:
    created = admin.keys.generate(key_alias="sdk-py-lifecycle", models=["demo"], max_budget=5.0,
                                  metadata={"owner": "sdk-tests"}, tags=["sdk"])
    assert created.key.startswith("sk-")
    assert connect(created.key).chat("demo", HELLO).choices[0].message.text == DEMO_REPLY

    info = admin.keys.info(created.key)
    assert info.token == created.token
    assert info.key_alias == "sdk-py-lifecycle"
    assert info.max_budget == 5.0
    assert dict(info.metadata)["owner"] == "sdk-tests"

    updated = admin.keys.update(created.key, max_budget=7.5, models=["demo", "limited"])
    assert updated.max_budget == 7.5
    assert list(updated.models) == ["demo", "limited"]

    page = admin.keys.list(key_alias="sdk-py-lifecycle", return_full_object=True)
    assert [k.token for k in page.keys] == [created.token]

    admin.keys.block(created.key)
    with pytest.raises(AuthenticationError):
        connect(created.key).chat("demo", HELLO)
    admin.keys.unblock(created.key)

    renewed = admin.keys.regenerate(created.key)
    assert renewed.key.startswith("sk-") and renewed.key != created.key
    assert connect(renewed.key).chat("demo", HELLO).choices[0].message.text == DEMO_REPLY

    assert admin.keys.delete([renewed.key]) == [renewed.key]
    with pytest.raises(NotFoundError):
        admin.keys.info(renewed.key)


# A team is created, gets a member and a key, shows in the list, and is deleted with its keys.
def test_team_with_member_and_key(admin: Tollgate) -> None:
    team = admin.teams.create(team_id="sdk-py-team", team_alias="SDK", models=["demo"], max_budget=10.0)
    assert team.team_id == "sdk-py-team"
    admin.teams.add_members("sdk-py-team", [{"user_id": "sdk-py-user", "role": TEAM_ROLE_ADMIN}])
    admin.keys.generate(team_id="sdk-py-team")
    info = admin.teams.info("sdk-py-team")
    assert info.team_info.team_alias == "SDK"
    assert [m.user_id for m in info.team_memberships] == ["sdk-py-user"]
    assert "sdk-py-team" in {entry.team.team_id for entry in admin.teams.list()}
    assert admin.teams.update("sdk-py-team", max_budget=20.0).max_budget == 20.0
    deleted = admin.teams.delete("sdk-py-team")
    assert list(deleted.deleted_teams) == ["sdk-py-team"]
    assert deleted.deleted_keys == 1


# A key's calls show up in its spend logs (written in batches) with tokens and cost.
def test_spend_logs_of_a_key(admin: Tollgate, connect: Callable[..., Tollgate]) -> None:
    key = admin.keys.generate(models=["demo"], tags=["sdk-spend"]).key
    reply = connect(key).chat("demo", HELLO)

    logs: list[spend_pb2.SpendLog] = []
    deadline = time.monotonic() + 20
    while not logs and time.monotonic() < deadline:
        logs = admin.spend.logs(api_key=key)
        time.sleep(0.2)
    assert [log.request_id for log in logs] == [reply.call_info.call_id]
    assert logs[0].model_group == "demo"
    assert logs[0].total_tokens > 0
    assert logs[0].spend == pytest.approx(reply.call_info.response_cost)
    assert admin.spend.total().spend > 0
    assert admin.keys.info(key).spend == pytest.approx(reply.call_info.response_cost)
