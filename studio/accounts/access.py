"""Who may reach the studio: loopback by default; any other bind needs studio accounts or STUDIO_PASSWORD.

The password checks are constant-time and rate-limited (failures lock the door for a while): the shared
STUDIO_PASSWORD per client, a studio user's sign-in per client and per account.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Literal

from studio import people
from studio.accounts.errors import AccessError
from studio.config import Settings
from studio.netguard import is_loopback  # the rule lives in netguard (core); re-exported by the face
from studio.storage import Store


def check_bind(host: str, password: str | None, *, has_owner: bool = False) -> None:
    """Refuse to serve on a reachable address with no door: no studio owner account (everyone then signs in
    with their own account) and no STUDIO_PASSWORD."""
    if is_loopback(host) or (password or "").strip() or has_owner:
        return
    raise AccessError(
        f"Refusing to start on {host}: anyone who can reach this address could use your Pinterest accounts.",
        fix="Add the first owner (`pinstudio users add --email E --name N --role owner`) so everyone signs in, "
        "or set STUDIO_PASSWORD to a password (then restart), or bind to 127.0.0.1 (the default).",
        code="password_required",
    )


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (digests first, so the length doesn't leak either)."""
    a = hashlib.sha256(given.encode()).digest()
    b = hashlib.sha256(expected.encode()).digest()
    return hmac.compare_digest(a, b)


class AttemptLimiter:
    """Allows `max_failures` wrong passwords per client, then locks that client out for `lockout_s`,
    doubling each time. Across all clients, more than `global_max` failures within `global_window_s`
    slow every attempt down (up to `max_delay_s`), without ever locking anyone out: a flood from many
    addresses can't freeze the team's logins, and can't guess at full speed either."""

    def __init__(
        self,
        max_failures: int = 5,
        lockout_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        *,
        global_max: int = 30,
        global_window_s: float = 60.0,
        max_delay_s: float = 3.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_failures, self.lockout_s, self.clock = max(1, max_failures), lockout_s, clock
        self.global_max, self.global_window_s, self.max_delay_s = max(1, global_max), global_window_s, max_delay_s
        self.sleep = sleep
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._lockouts: dict[str, int] = {}
        self._recent: deque[float] = deque()  # times of recent failures, every client

    def wait_s(self, key: str) -> float:
        """Seconds until `key` may try again (0 when it may now)."""
        with self._lock:
            return max(0.0, self._locked_until.get(key, 0.0) - self.clock())

    def delay_s(self) -> float:
        """How long any attempt waits now: 0 until failures everywhere pass the global cap, then growing."""
        with self._lock:
            self._forget_old()
            excess = len(self._recent) - self.global_max
        return 0.0 if excess <= 0 else min(self.max_delay_s, 0.1 * excess)

    def _forget_old(self) -> None:
        horizon = self.clock() - self.global_window_s
        while self._recent and self._recent[0] < horizon:
            self._recent.popleft()

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent.append(self.clock())
            self._forget_old()
            count = self._failures.get(key, 0) + 1
            if count >= self.max_failures:
                rounds = self._lockouts.get(key, 0)
                self._locked_until[key] = self.clock() + self.lockout_s * (2 ** min(rounds, 10))
                self._lockouts[key] = rounds + 1
                count = 0
            self._failures[key] = count

    def succeeded(self, key: str) -> None:
        with self._lock:
            for table in (self._failures, self._locked_until, self._lockouts):
                table.pop(key, None)


def trusted_networks(spec: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """STUDIO_TRUSTED_PROXIES: comma-separated addresses or networks (bad entries are ignored)."""
    networks = []
    for part in (spec or "").replace(";", ",").split(","):
        part = part.strip()
        if part:
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                continue
    return networks


def _is_trusted(address: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in net for net in networks)


def client_key(peer: str | None, headers: Mapping[str, str] | None, trusted_proxies: str) -> str:
    """Who is logging in, for the lockout: the connecting address, or, when that address is a trusted
    proxy, the nearest untrusted address in `X-Forwarded-For` (read right to left, so a client can't
    pick its own key by sending the header itself)."""
    peer = (peer or "").strip() or "unknown"
    networks = trusted_networks(trusted_proxies)
    if not networks or not _is_trusted(peer, networks):
        return peer  # a header from an untrusted peer is whatever the client wants it to be: ignored
    forwarded = ""
    for name, value in (headers or {}).items():
        if name.lower() == "x-forwarded-for":
            forwarded = f"{forwarded},{value}" if forwarded else value
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        if not _is_trusted(hop, networks):
            return hop
    return peer


# One limiter per server process: a new browser session must not get fresh attempts.
_LIMITER: AttemptLimiter | None = None
_LIMITER_GUARD = threading.Lock()


def login_limiter(settings: Settings) -> AttemptLimiter:
    """The login attempt limiter of this server process (failures counted across sessions)."""
    global _LIMITER
    with _LIMITER_GUARD:
        if _LIMITER is None:
            _LIMITER = AttemptLimiter(settings.login_max_failures, settings.login_lockout_s)
        return _LIMITER


def password_required(settings: Settings) -> bool:
    return bool(settings.password and settings.password.get_secret_value())


def _wait_turn(limiter: AttemptLimiter, keys: tuple[str, ...]) -> None:
    """Slow down when failures pour in from everywhere; refuse while any of `keys` is locked out."""
    delay = limiter.delay_s()
    if delay > 0:
        limiter.sleep(delay)  # many failures everywhere: everyone slows down, nobody is locked out
    wait = max(limiter.wait_s(key) for key in keys)
    if wait > 0:
        raise AccessError(
            "Too many wrong passwords.", fix=f"Wait {int(wait) + 1} s, then try again.", code="rate_limited"
        )


Door = Literal["open", "password", "accounts", "refuse"]


def door_for(store: Store, settings: Settings, host: str) -> Door:
    """Which door a studio served on `host` puts before its pages:

    - `accounts`: everyone signs in with their own account. Once anyone has one, when a second active
      account exists or the studio binds beyond loopback (`people.sign_in_required`), or when STUDIO_PASSWORD
      is set (accounts replace the shared password).
    - `password`: no account yet and STUDIO_PASSWORD set: the shared password, as before accounts.
    - `refuse`: no account, no password, a reachable address: nothing renders (nobody could be kept out).
    - `open`: one person on loopback, acting as the studio's owner, as the studio always was."""
    has_accounts = bool(people.list_users(store, include_disabled=False))
    if has_accounts and (people.sign_in_required(store, host) or password_required(settings)):
        return "accounts"
    if has_accounts:
        return "open"
    if password_required(settings):
        return "password"
    return "open" if is_loopback(host) else "refuse"


def log_in(given: str, settings: Settings, limiter: AttemptLimiter, key: str = "all") -> None:
    """Accept the password or raise AccessError (wrong, or too many attempts: wait)."""
    _wait_turn(limiter, (key,))
    expected = settings.password.get_secret_value() if settings.password else ""
    if expected and password_matches(given, expected):
        limiter.succeeded(key)
        return
    limiter.failed(key)
    raise AccessError(
        "That password is not right.", fix="Ask whoever set STUDIO_PASSWORD for this studio.", code="wrong_password"
    )


def sign_in_user(store: Store, email: str, password: str, limiter: AttemptLimiter, client: str) -> people.User:
    """A studio user's sign-in with email and password: the active account, or SignInError (AccessError
    while locked out). Wrong passwords count against the client (`client_key`) and against the account,
    so neither a guesser hopping between accounts nor one hopping between addresses gets more tries."""
    account = (email or "").strip().lower()[:254]  # as authenticate looks it up (254: an email's longest)
    keys = (f"client:{client}", f"account:{account}")
    _wait_turn(limiter, keys)
    try:
        user = people.authenticate(store, email, password, client=client)
    except people.SignInError as exc:
        if exc.code != "account_disabled":  # the right password of a disabled account is no guess
            for key in keys:
                limiter.failed(key)
        raise
    for key in keys:
        limiter.succeeded(key)
    return user
