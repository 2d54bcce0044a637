"""Failed sign-ins are limited per account and per client address (the page and the API alike)."""
from flask import Flask, current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class LoginThrottle:
    def __init__(self, app: Flask):
        self.limiter = MovingWindowRateLimiter(storage_from_string(app.config["RATELIMIT_STORAGE_URI"]))
        self.per_account = parse(app.config["LOGIN_FAILURES_PER_ACCOUNT"])
        self.per_address = parse(app.config["LOGIN_FAILURES_PER_ADDRESS"])

    def _keys(self, username: str, address: str):
        return (
            (self.per_account, "login-account", username.casefold()),
            (self.per_address, "login-address", address),
        )

    def is_blocked(self, username: str, address: str) -> bool:
        return any(not self.limiter.test(limit, *key) for limit, *key in self._keys(username, address))

    def record_failure(self, username: str, address: str) -> None:
        for limit, *key in self._keys(username, address):
            self.limiter.hit(limit, *key)

    def record_success(self, username: str) -> None:
        self.limiter.clear(self.per_account, "login-account", username.casefold())

    def reset(self) -> None:
        self.limiter.storage.reset()


def init_app(app: Flask) -> None:
    app.extensions["login_throttle"] = LoginThrottle(app)


def login_throttle() -> LoginThrottle:
    return current_app.extensions["login_throttle"]
