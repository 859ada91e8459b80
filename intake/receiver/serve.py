"""`python -m intake receive`: the receiver behind waitress, a production WSGI server in pure Python."""

from __future__ import annotations

import logging
from typing import Any, Mapping

from intake.config import IntakeConfig
from intake.errors import ConfigError
from intake.receiver.app import Receiver
from intake.receiver.channel import Channel, OncePer
from intake.receiver.guard import make_limit
from intake.receiver.settings import ReceiverConfig, parse
from intake.receiver.store import Store

# Each post waiting for its group commit holds a thread, so the threads bound a commit's size: 8 made
# 50 concurrent posts queue in waitress and commit 8 at a time; 64 measured the best tail (bench/).
THREADS = 64
QUEUE_WARNINGS = OncePer(60)  # waitress's "Task queue depth is N": once a minute, not once a request


def secret(config: ReceiverConfig, env: Mapping[str, str]) -> str:
    """The pull token from the environment variable the settings name."""
    token = env.get(config.token_env, "").strip()
    if len(token) < 16:
        raise ConfigError(f"set {config.token_env} to a long random token (at least 16 characters, e.g. "
                          "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`); `intake pull` "
                          "sends the same token")
    return token


def application(config: IntakeConfig, env: Mapping[str, str]) -> tuple[Receiver, ReceiverConfig]:
    """The WSGI application the settings describe."""
    settings = parse(config)
    token = secret(settings, env)  # before the store starts its writer: a refusal leaves nothing running
    return Receiver(settings, Store(settings.database), token, make_limit(settings)), settings


def server(app: Receiver, settings: ReceiverConfig, host: str, port: int, threads: int = THREADS) -> Any:
    """A waitress server for app, not yet running (port 0: the OS picks one, see .effective_port)."""
    try:
        from waitress.server import create_server
    except ImportError:
        raise ConfigError("the receiver needs waitress: python -m pip install -e '.[receiver]'") from None
    # channel_timeout drops idle connections; the body limit applies before our code reads anything;
    # X-Forwarded-For is left in place: the app believes it only from intake.receiver.trusted_proxies
    made = create_server(app, host=host, port=port, threads=threads, ident="", channel_timeout=30,
                         max_request_body_size=settings.max_body, connection_limit=500,
                         clear_untrusted_proxy_headers=False)
    made.channel_class = Channel  # no spinning loop while a request thread sends (see channel.py)
    logging.getLogger("waitress.queue").addFilter(QUEUE_WARNINGS)
    return made


def run(config: IntakeConfig, env: Mapping[str, str], host: str, port: int) -> None:
    """Serve until interrupted."""
    app, settings = application(config, env)
    listening = server(app, settings, host, port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("intake.receiver").info("receiving comments on http://%s:%s/kommentar, storing in %s",
                                              host, listening.effective_port, settings.database)
    try:
        listening.run()
    except KeyboardInterrupt:
        pass
    finally:
        listening.close()
        app.store.close()  # what was acknowledged is committed already; this only stops the writer
