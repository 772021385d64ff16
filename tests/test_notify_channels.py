"""Channels one by one: [[notify]] config errors, cutting to each service's length, the digest to a chat channel
beside the mail (aiosmtpd), and error texts scrubbed of the URL's token."""

from __future__ import annotations

import json
from pathlib import Path

import apprise
import pytest
from click.testing import CliRunner
from support.net import free_port
from support.receiver import start_receiver
from test_digest_data import FIRST_DAY, build
from test_mail import smtp_server  # noqa: F401 (the aiosmtpd fixture)

from ometsuke.cli import main
from ometsuke.config import ConfigError, load_config
from ometsuke.digest import build_digest
from ometsuke.i18n import Texts
from ometsuke.notify import DigestMade, notify, send_test
from ometsuke.notify.messages import fit

URL = "https://www.metro.tokyo.lg.jp/information/press/2026/11/contract.html"


def with_mail(tmp_path: Path, smtp_port: int) -> str:
    """A config's [database] in tmp_path and [mail] through the aiosmtpd server on smtp_port."""
    return (f'[database]\npath = "{tmp_path / "ometsuke.db"}"\n[mail]\nhost = "127.0.0.1"\nport = {smtp_port}\n'
            'from = "ometsuke@example.org"\nto = ["desk@example.org"]\nstarttls = false\n')


@pytest.mark.parametrize(("entry", "message"), [
    ('name = "a"\nurl = "json://127.0.0.1/x"\ncolour = "red"', '[[notify]] #1 ("a"): unknown key "colour"'),
    ('name = "a"\nurl = "nonsense://x"', '[[notify]] #1 ("a"): key "url" is a nonsense:// URL apprise cannot parse'),
    ('name = "a"\nurl = "hooks.slack.com/T/B/C"', 'key "url" is not an apprise URL'),
    ('name = "a"', 'give either "url" or "url_env"'),
    ('name = "a"\nurl = "json://127.0.0.1/x"\non = ["alert"]', 'key "on" is \'alert\'; expected one of alerts'),
    ('name = "a"\nurl_env = "MY-HOOK"', 'key "url_env" is \'MY-HOOK\''),
    ('name = "mail"\nurl = "json://127.0.0.1/x"', '"mail" is the [mail] table\'s channel'),
    ('name = "a"\nurl = "json://127.0.0.1/x"\nsources = ["nope"]', "no source named 'nope'"),
])
def test_bad_notify_entries_are_config_errors(write_config, entry: str, message: str) -> None:
    path = write_config(f"[[notify]]\n{entry}\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}: [[notify]] #1")
    assert message in str(error.value)
    result = CliRunner().invoke(main, ["notify", "status", "--config", str(path)])
    assert result.exit_code == 2 and message in result.output


def test_a_malformed_url_in_the_environment_is_named_by_its_variable_only(write_config, monkeypatch) -> None:
    monkeypatch.setenv("OMETSUKE_BAD_HOOK", "slack://only-one-token-s3cr3t")
    path = write_config('[[notify]]\nname = "a"\nurl_env = "OMETSUKE_BAD_HOOK"\n')
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert "OMETSUKE_BAD_HOOK holds a URL apprise cannot parse" in str(error.value)
    assert "s3cr3t" not in str(error.value)


def test_defaults_and_filters(write_config) -> None:
    path = write_config('[[notify]]\nname = "a"\nurl = "json://127.0.0.1/x"\n')
    (channel,) = load_config(path).notify
    assert channel.on == ("alerts", "failures") and channel.url_env is None
    assert load_config(path).digest.language == "ja"


@pytest.mark.parametrize("url", ["workflows://host:443/wf/sig", "discord://123/abc", "line://token/user",
                                 "ntfy://topic", "slack://T1/B1/C1"])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_cut_to_each_services_length_at_a_sentence_with_the_link(url: str, language: str) -> None:
    limit = apprise.Apprise.instantiate(url).body_maxlen
    sentence = "契約の相手方は株式会社デジタルガレージです。" if language == "ja" else "The vendor is Digital Garage. "
    body = "■ headline\n" + sentence * (limit // len(sentence) + 5)
    cut = fit(body, limit, URL, Texts(language))
    assert len(cut) <= limit
    assert cut.endswith(URL)
    kept = cut.rsplit("\n", 1)[0]
    assert kept.endswith("です。" if language == "ja" else "Digital Garage.")
    assert fit("short", limit, URL, Texts(language)) == "short"


def test_digest_goes_to_chat_channels_that_asked_and_to_mail_beside(tmp_path: Path, write_config,
                                                                    smtp_server) -> None:  # noqa: F811
    inbox, smtp_port = smtp_server
    db, _ = build(tmp_path)
    with start_receiver() as chat, start_receiver() as alerts_only:
        path = write_config(with_mail(tmp_path, smtp_port) + f"""
[[notify]]
name = "chat"
url = "{chat.url()}"
on = ["digest"]
[[notify]]
name = "alerts-only"
url = "{alerts_only.url()}"
""")
        config = load_config(path)
        digest = build_digest(db, FIRST_DAY, language="ja")
        report = notify(config, DigestMade(digest), db=db)
        assert [c.channel for c in report.channels] == ["mail", "chat", "alerts-only"]
        assert all(c.error is None for c in report.channels)
        (message,) = chat.messages()
        assert message["title"] == "大目付ダイジェスト 2026年11月26日（木）: アラート2件、新着5件"
        assert "宮坂学とデジタルガレージが同じ文書に登場" in message["message"]
        assert alerts_only.messages() == []
        assert inbox.messages[0]["Subject"] == message["title"]
        notify(config, DigestMade(digest), db=db)  # the same period again: the chat channel has it already
        assert len(chat.messages()) == 1


def test_error_text_from_apprise_is_scrubbed(write_config, monkeypatch) -> None:
    port = free_port()  # nothing listens: apprise's error names the host; the token must not appear
    monkeypatch.setenv("OMETSUKE_HOOK", f"json://user:pa55w0rdX@127.0.0.1:{port}/t0kenPathX")
    path = write_config('[[notify]]\nname = "hook"\nurl_env = "OMETSUKE_HOOK"\n')
    ((name, error),) = send_test(load_config(path))
    assert name == "hook" and error
    assert "pa55w0rdX" not in error and "t0kenPathX" not in error


def test_notify_test_reaches_mail_and_chat_and_says_which_failed(tmp_path: Path, write_config,
                                                                  smtp_server) -> None:  # noqa: F811
    inbox, smtp_port = smtp_server
    with start_receiver() as chat:
        path = write_config(with_mail(tmp_path, smtp_port) + f"""
[[notify]]
name = "chat"
url = "{chat.url()}"
[[notify]]
name = "gone"
url = "json://127.0.0.1:{free_port()}/x"
""")
        result = CliRunner().invoke(main, ["notify", "test", "--json", "--config", str(path)])
        assert result.exit_code == 1
        rows = {row["channel"]: row for row in json.loads(result.output)}
        assert rows["mail"]["sent"] and rows["chat"]["sent"] and not rows["gone"]["sent"]
        assert rows["gone"]["error"]
        assert inbox.messages[0]["Subject"] == "大目付 テスト通知"
        assert chat.messages()[0]["title"] == "大目付 テスト通知"
        one = CliRunner().invoke(main, ["notify", "test", "chat", "--config", str(path)])
        assert (one.exit_code, one.output) == (0, "chat: sent\n")
        unknown = CliRunner().invoke(main, ["notify", "test", "nope", "--config", str(path)])
        assert unknown.exit_code == 2 and "no channel named 'nope' (channels: mail, chat, gone)" in unknown.output


def test_digest_command_notify_flag_sends_to_digest_channels(tmp_path: Path, write_config) -> None:
    db, _ = build(tmp_path)
    db.close()
    with start_receiver() as chat:
        path = write_config(f'[database]\npath = "{tmp_path / "ometsuke.db"}"\n[digest]\nlanguage = "en"\n'
                            f'[[notify]]\nname = "chat"\nurl = "{chat.url()}"\non = ["digest"]\n')
        result = CliRunner().invoke(main, ["digest", "--date", FIRST_DAY.isoformat(), "--notify",
                                           "--config", str(path)])
        assert result.exit_code == 0, result.output
        (message,) = chat.messages()
        assert message["title"] == "ometsuke digest 2026-11-26 (JST): 2 alert(s), 5 new"
        assert "■ Alerts (2)" in message["message"]
        assert "chat: sent 1" in result.stderr
        plain = CliRunner().invoke(main, ["digest", "--date", FIRST_DAY.isoformat(), "--config", str(path)])
        assert plain.exit_code == 0 and len(chat.messages()) == 1  # without --notify nothing is sent
    alerts_only = write_config(f'[database]\npath = "{tmp_path / "ometsuke.db"}"\n'
                               '[[notify]]\nname = "chat"\nurl = "json://127.0.0.1/x"\n')
    refused = CliRunner().invoke(main, ["digest", "--notify", "--config", str(alerts_only)])
    assert refused.exit_code == 2 and '--notify needs a [[notify]] entry with "digest"' in refused.output


def test_migration_keeps_queued_mail_as_the_mail_channel(tmp_path: Path) -> None:
    import sqlite_utils

    from db import open_database
    from db.migrations import MIGRATIONS

    raw = sqlite_utils.Database(tmp_path / "old.db")
    raw["_migrations"].create({"number": int, "name": str, "applied_at": str}, pk="number")
    for number, name, function in MIGRATIONS:
        if name == "deliveries_channels":
            break
        function(raw)
        raw["_migrations"].insert({"number": number, "name": name, "applied_at": "2026-11-01"})
    raw["deliveries"].insert({"digest": "2026-11-26", "subject": "s", "recipients": "[]", "text": "t", "html": "h",
                              "created_at": "2026-11-26", "attempts": 1, "last_error": "refused"})
    raw.close()
    db = open_database(tmp_path / "old.db")
    row = next(db["deliveries"].rows)
    assert (row["channel"], row["kind"], row["sent_at"], row["last_error"]) == ("mail", "mail", None, "refused")
    db.close()


def test_the_scheduler_sends_its_digest_to_chat_channels_that_asked(tmp_path: Path, write_config) -> None:
    from ometsuke.scheduler import Scheduler

    db, _ = build(tmp_path)
    db.close()
    with start_receiver() as chat, start_receiver() as alerts_only:
        path = write_config(f'[database]\npath = "{tmp_path / "ometsuke.db"}"\n'
                            f'[[notify]]\nname = "chat"\nurl = "{chat.url()}"\non = ["digest"]\n'
                            f'[[notify]]\nname = "alerts"\nurl = "{alerts_only.url()}"\n')
        Scheduler(load_config(path)).digest_step()
        (message,) = chat.messages()
        assert message["title"].startswith("大目付ダイジェスト ")
        assert alerts_only.messages() == []


def test_a_message_longer_than_the_service_allows_arrives_cut_with_the_link(tmp_path: Path, write_config) -> None:
    from ometsuke.notify.channels import AppriseChannel
    from ometsuke.notify.messages import Message

    with start_receiver() as chat:
        (entry,) = load_config(write_config(f'[[notify]]\nname = "chat"\nurl = "{chat.url()}"\n')).notify
        limit = apprise.Apprise.instantiate(chat.url()).body_maxlen
        quote = "「契約金額は16,506,875円（税込）です。」\n"
        body = "■ 宮坂学とデジタルガレージが同じ文書に登場\n" + quote * (limit // 20)
        assert len(body) > limit
        AppriseChannel(entry, Texts("ja"), {}).send(Message("alerts", "k", "大目付アラート: 契約", body, URL))
        (received,) = chat.messages()
        assert len(received["message"]) <= limit
        assert received["message"].startswith("■ 宮坂学とデジタルガレージが同じ文書に登場\n")
        assert received["message"].endswith(f"です。」\n…続きは {URL}")
