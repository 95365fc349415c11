"""Running the bot as a whole: its jobs and updater inside the test, or main.py in a process
of its own; and what a digest message looks like to the fake Telegram."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from bot.app import startup

ROOT = Path(__file__).resolve().parents[2]


def is_digest(call) -> bool:
    """A sendMessage call carrying a digest."""
    return call.method == "sendMessage" and "Ringkasan Warta" in call.params.get("text", "")


async def run_bot(app):
    """Start the application's jobs and its long polling against the fake Telegram."""
    await startup(app)
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()


async def stop_bot(app):
    """Stop what run_bot started."""
    await app.updater.stop()
    await app.stop()


async def start_bot(env: dict, log: Path) -> asyncio.subprocess.Process:
    """main.py (the bot) in a process of its own, its output appended to `log`."""
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable, "main.py", cwd=ROOT, env=env, stdout=sink, stderr=sink
        )


def run_main(args, tmp_path, *, stdin="", **env):
    """One of main.py's tools, run to its end with no token and a database in tmp_path."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_"))},
        "TELEGRAM_BOT_TOKEN": "",
        "DATABASE_PATH": str(tmp_path / "cli.db"),
        "SEED_DEFAULT_FEEDS": "false",
        **env,
    }
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=50,
    )
