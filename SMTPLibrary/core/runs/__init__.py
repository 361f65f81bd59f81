"""A test run's servers: the registry of servers by alias, the run's test DNS, and the isolation between tests."""

from .dns import RunDNS
from .isolation import AUTO_RESET_MODES, Isolation, check_auto_reset, reset_for_next_test, unique_address
from .registry import ServerRegistry, stop_servers

__all__ = [
    "AUTO_RESET_MODES",
    "Isolation",
    "RunDNS",
    "ServerRegistry",
    "check_auto_reset",
    "reset_for_next_test",
    "stop_servers",
    "unique_address",
]
