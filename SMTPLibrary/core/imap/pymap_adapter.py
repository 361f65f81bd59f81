"""The only module that touches pymap: users' folders in pymap's dict backend, and IMAP servers over them.

Checked against pymap 0.36.7 (pysasl 1.2.0, proxy-protocol 0.11.3), Python 3.11 to 3.13.
``utest/test_pymap_contract.py`` fails when anything listed here changes. Imported only when an
IMAP or POP3 server starts (pymap costs about 100 ms to import): never by ``import SMTPLibrary``.

Names used, all public (in their module's ``__all__``)::

    pymap.backend.dict.Config                       the dict backend's config (subclassed: greeting)
    pymap.backend.dict.mailbox.MailboxSet           a user's folders (subclassed: folder changes)
    pymap.backend.dict.mailbox.MailboxData          one folder (subclassed: flag/copy/move/expunge)
    pymap.backend.session.BaseSession               a logged-in session (subclassed)
    pymap.interfaces.login.LoginInterface, IdentityInterface   (implemented)
    pymap.imap.IMAPServer                           runs one connection: await server(reader, writer, sock_info)
    pymap.concurrent.Subsystem                      Subsystem.for_asyncio(): no thread pool
    pymap.exceptions.InvalidAuth, AuthorizationFailure, NotAllowedError
    pymap.flags.FlagOp
    pymap.parsing.message.AppendMessage
    pymap.parsing.specials.FetchRequirement
    pymap.parsing.specials.flag.Flag, Seen, Recent, Wildcard
    pymap.user.UserMetadata
    pysasl.hashing.Cleartext, pysasl.identity.ClearIdentity
    proxyprotocol.sock.SocketInfo                   SocketInfo.get(writer, None, unique_id=...)

Private names used: none. Behaviour relied on that pymap does not promise (the contract test covers each):

* ``MailboxSet`` builds its folders as ``MailboxData`` (in ``__init__``, ``add_mailbox`` and when INBOX is
  renamed) and ``MailboxData`` has no ``__slots__``: each new folder is *adopted* by switching its
  ``__class__`` to :class:`_Folder` (a subclass adding no state but one attribute), found through the
  public ``list_mailboxes()``/``get_mailbox()``. (Subclasses that make their own folders would have
  to reach the private ``MailboxSet._inbox``/``_set``, ``MailboxData._messages`` and ``Message._content``;
  adopting needs none of them.)
* The session layer calls ``MailboxData.update`` for STORE and FETCH-sets-\\Seen, ``delete`` for EXPUNGE,
  ``copy`` for COPY and ``move`` for MOVE (MOVE does not call ``delete``), ``append`` for APPEND; each returns
  what 0.36.7 returns (``Message`` / ``None`` / new uid or ``None``).
* ``PermanentFlags`` honours ``\\*`` in a folder's ``permanent_flags`` (keywords are kept only then: the
  dict backend's default drops every keyword a client STOREs).
* ``IMAPConfig.greeting`` is a property (its default calls ``socket.getfqdn()`` at every connection),
  ``initial_auth`` gives every mechanism when ``tls_enabled=False``; a loopback client may LOGIN before
  STARTTLS, others get LOGINDISABLED until they upgrade.
* ``IMAPConfig.__init__`` reads ``args.passlib_cfg`` unless ``hash_context`` is given, ``args.proxy_protocol``
  unless ``proxy_protocol`` is, and ``CERT_FILE``/``KEY_FILE`` from the environment unless ``ssl_context`` is.
"""

from __future__ import annotations

import asyncio
import ssl
import uuid
from argparse import Namespace
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from proxyprotocol.sock import SocketInfo
from pymap.backend.dict import Config
from pymap.backend.dict.mailbox import MailboxData, MailboxSet
from pymap.backend.session import BaseSession
from pymap.concurrent import Subsystem
from pymap.exceptions import AuthorizationFailure, InvalidAuth, NotAllowedError
from pymap.flags import FlagOp
from pymap.imap import IMAPServer
from pymap.interfaces.login import IdentityInterface, LoginInterface
from pymap.parsing.message import AppendMessage
from pymap.parsing.specials import FetchRequirement
from pymap.parsing.specials.flag import Flag, Recent, Seen, Wildcard
from pymap.user import UserMetadata
from pysasl.hashing import Cleartext
from pysasl.identity import ClearIdentity

from .copies import Copies
from .deliver import crlf
from .loop import Connections, Listener
from .users import MailUsers

GREETING = b"SMTPLibrary IMAP4rev1 server ready"


def flag_names(flags: Iterable[Flag]) -> frozenset[str]:
    return frozenset(str(flag) for flag in flags if flag != Recent)


# -- folders that report what clients do to them ------------------------------------


class _Folder(MailboxData):
    """A pymap folder (``MailboxData``) that tells :class:`Copies` about every change.

    Instances are made by pymap as ``MailboxData`` and adopted (``__class__`` switched); the only state
    added is ``smtplibrary_copies``."""

    smtplibrary_copies: Copies

    @property
    def permanent_flags(self) -> frozenset[Flag]:
        # \* : clients may set keywords ($Forwarded, "processed" ...), as on any real server.
        return super().permanent_flags | {Wildcard}

    async def update_selected(self, selected: Any, *, wait_on: Any = None) -> Any:
        # pymap 0.36.7 loses a wake-up: IDLE waits on an event registered when the wait starts, so a
        # change made between the client's previous command and its IDLE is not told until the next
        # change. Look first (this call does not await), and wait only when nothing is new; from the
        # look to the registration of the wait nothing awaits, so no change can slip in between.
        if wait_on is not None:
            before = selected.mod_sequence
            selected = await super().update_selected(selected)
            if selected.mod_sequence != before:
                return selected
        return await super().update_selected(selected, wait_on=wait_on)

    async def append(self, append_msg: AppendMessage, *, recent: bool = False):
        message = await super().append(append_msg, recent=recent)
        self.smtplibrary_copies.touched()
        return message

    async def update(self, uid: int, cached_msg: Any, flag_set: frozenset[Flag], mode: FlagOp):
        message = await super().update(uid, cached_msg, flag_set - {Recent}, mode)
        if not message.expunged:
            self.smtplibrary_copies.flags_set(self, uid, flag_names(message.permanent_flags))
        return message

    async def delete(self, uids: Iterable[int]) -> None:
        uids = list(uids)
        await super().delete(uids)
        self.smtplibrary_copies.expunged(self, uids)

    async def copy(self, uid: int, destination: MailboxData, *, recent: bool = False) -> int | None:
        new_uid = await super().copy(uid, destination, recent=recent)
        if new_uid is not None:
            self.smtplibrary_copies.copied(self, uid, destination, new_uid)
        return new_uid

    async def move(self, uid: int, destination: MailboxData, *, recent: bool = False) -> int | None:
        new_uid = await super().move(uid, destination, recent=recent)
        if new_uid is not None:
            self.smtplibrary_copies.moved(self, uid, destination, new_uid)
        return new_uid


class _Folders(MailboxSet):
    """A user's folders (pymap ``MailboxSet``) whose every folder is a :class:`_Folder`."""

    def __init__(self, user: str, copies: Copies) -> None:
        super().__init__()
        self.smtplibrary_user = user
        self.smtplibrary_copies = copies

    async def adopt(self) -> None:
        """Make every folder report to :class:`Copies`, and give Copies the folders' names."""
        names: dict[Any, str] = {}
        for entry in (await self.list_mailboxes()).list():
            if not entry.exists:
                continue
            folder = await self.get_mailbox(entry.name)
            if type(folder) is MailboxData:
                folder.__class__ = _Folder
                folder.smtplibrary_copies = self.smtplibrary_copies
            names[folder] = entry.name
        self.smtplibrary_copies.folders(self.smtplibrary_user, names)

    async def add_mailbox(self, name: str):
        result = await super().add_mailbox(name)
        await self.adopt()
        return result

    async def delete_mailbox(self, name: str) -> None:
        await super().delete_mailbox(name)
        await self.adopt()

    async def rename_mailbox(self, before: str, after: str) -> None:
        await super().rename_mailbox(before, after)
        await self.adopt()

    async def folders(self) -> dict[str, _Folder]:
        found = {}
        for entry in (await self.list_mailboxes()).list():
            if entry.exists:
                found[entry.name] = await self.get_mailbox(entry.name)
        return found


# -- logins ------------------------------------------------------------------------------


class _Session(BaseSession):
    def __init__(self, owner: str, config: Config, folders: _Folders) -> None:
        super().__init__(owner)
        self._smtplibrary_config = config
        self._smtplibrary_folders = folders

    @property
    def config(self) -> Config:
        return self._smtplibrary_config

    @property
    def mailbox_set(self) -> _Folders:
        return self._smtplibrary_folders


class _Identity(IdentityInterface):
    def __init__(self, store: PymapStore, config: Config, address: str, login: str) -> None:
        self.store, self.config, self.address, self.login = store, config, address, login

    @property
    def name(self) -> str:
        return self.address

    @property
    def roles(self) -> frozenset[str]:
        return frozenset()

    @asynccontextmanager
    async def new_session(self) -> AsyncIterator[_Session]:
        yield _Session(self.address, self.config, await self.store.folders_of(self.address))

    async def new_token(self, *, expiration: datetime | None = None) -> str | None:
        return None

    async def get(self) -> UserMetadata:
        return UserMetadata(self.config, self.address)

    async def set(self, metadata: UserMetadata) -> int | None:
        raise NotAllowedError("Users are managed by the test.")

    async def delete(self) -> None:
        raise NotAllowedError("Users are managed by the test.")


class _Login(LoginInterface):
    """Checks credentials against :class:`MailUsers`; a failure creates nothing."""

    def __init__(self, store: PymapStore, config: Config) -> None:
        self.store, self.config = store, config

    @property
    def tokens(self) -> Any:  # only pymap's admin service uses tokens
        raise NotImplementedError

    async def authenticate(self, credentials: Any) -> _Identity:
        user = self.store.users.find(credentials.authcid)
        if user is None or not credentials.verify(ClearIdentity(credentials.authcid, user.password)):
            raise InvalidAuth()
        return _Identity(self.store, self.config, user.address, credentials.authcid)

    async def authorize(self, authenticated: IdentityInterface, authzid: str) -> IdentityInterface:
        assert isinstance(authenticated, _Identity)
        if authzid and authzid.lower() not in (authenticated.address, authenticated.login.lower()):
            raise AuthorizationFailure()
        return authenticated


class _Config(Config):
    @property
    def greeting(self) -> bytes:
        return GREETING


def _config(ssl_context: ssl.SSLContext | None, starttls: bool) -> _Config:
    return _Config(
        Namespace(passlib_cfg=None, proxy_protocol=None),
        host=None,
        port=0,
        demo_data=False,
        demo_user="",
        demo_password="",
        # Never None: pymap would build one, reading CERT_FILE/KEY_FILE from the environment.
        # A bare context costs nothing; create_default_context() would load the system CAs (~10 ms).
        ssl_context=ssl_context or ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER),
        tls_enabled=starttls,
        hash_context=Cleartext(),
        cpu_subsystem=Subsystem.for_asyncio(),
        invalid_user_sleep=0,
        reject_dnsbl=False,
    )


# -- the store ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    uid: int
    size: int
    unique_id: str


@dataclass(frozen=True)
class FolderMessage:
    uid: int
    flags: frozenset[str]
    raw: bytes


class PymapStore:
    """Every user's folders, and the IMAP listeners over them. Every coroutine runs on one event loop."""

    def __init__(self, users: MailUsers, copies: Copies) -> None:
        self.users = users
        self.copies = copies
        self._user_folders: dict[str, _Folders] = {}

    async def folders_of(self, address: str) -> _Folders:
        folders = self._user_folders.get(address)
        if folders is None:
            folders = _Folders(address, self.copies)
            await folders.adopt()
            self._user_folders[address] = folders
        return folders

    async def _inbox(self, address: str) -> _Folder:
        return await (await self.folders_of(address)).get_mailbox("INBOX")

    # -- filing and reset ----------------------------------------------------------------

    async def file(self, message: Any, raw: bytes, users: Iterable[str], when: datetime | None = None) -> None:
        """File ``raw`` in the INBOX of each user, as ``message`` (the handle the waits use)."""
        raw = crlf(raw)
        when = when or datetime.now(timezone.utc)
        for user in users:
            try:
                inbox = await self._inbox(user)
                stored = await inbox.append(AppendMessage(raw, when, frozenset()), recent=True)
            except Exception as error:  # noqa: BLE001 - recorded for the waits to report
                self.copies.failed(message, user, f"{type(error).__name__}: {error}")
            else:
                self.copies.filed(message, user, inbox, stored.uid, ())

    async def reset(self) -> None:
        """Every user back to a fresh start: the folders clients created are deleted, subscriptions
        dropped, INBOX emptied (its clients see EXPUNGE). Users, and their logged-in sessions, stay."""
        for folders in self._user_folders.values():
            for name in (await folders.list_subscribed()).list():
                await folders.set_subscribed(name.name, False)
            for name, folder in (await folders.folders()).items():
                if name.upper() != "INBOX":
                    await folders.delete_mailbox(name)
                    continue
                uids = [message.uid async for message in folder.messages()]
                if uids:
                    await folder.delete(uids)
        self.copies.clear()

    async def drop(self, places: Iterable[tuple[Any, int]]) -> None:
        """Expunge a message the mailbox dropped (``max_messages``) wherever it is."""
        by_folder: dict[Any, list[int]] = {}
        for folder, uid in places:
            by_folder.setdefault(folder, []).append(uid)
        for folder, uids in by_folder.items():
            await MailboxData.delete(folder, uids)  # not _Folder.delete: Copies forgot the message already

    # -- reading ------------------------------------------------------------------------------

    async def folder_names(self, address: str) -> list[str]:
        if address not in self._user_folders:
            return []
        return list((await self._user_folders[address].folders()).keys())

    async def folder_messages(self, address: str, folder: str) -> list[FolderMessage] | None:
        folders = self._user_folders.get(address)
        if folders is None:
            return None
        try:
            mailbox = await folders.get_mailbox(folder)
        except KeyError:
            return None
        return [
            FolderMessage(m.uid, flag_names(m.permanent_flags), bytes(await m.load_content(FetchRequirement.CONTENT)))
            async for m in mailbox.messages()
        ]

    # -- POP3 maildrop (see pop3.Maildrops) ---------------------------------------------------

    async def inbox(self, address: str) -> list[InboxItem]:
        inbox = await self._inbox(address)
        return [
            InboxItem(
                m.uid, len(bytes(await m.load_content(FetchRequirement.CONTENT))), f"{inbox.uid_validity}.{m.uid}"
            )
            async for m in inbox.messages()
        ]

    async def inbox_raw(self, address: str, uid: int) -> bytes | None:
        inbox = await self._inbox(address)
        async for m in inbox.messages():
            if m.uid == uid:
                return bytes(await m.load_content(FetchRequirement.CONTENT))
        return None

    async def commit(self, address: str, seen: Iterable[int], deleted: Iterable[int]) -> None:
        """A POP3 QUIT: mark ``seen`` \\Seen, expunge ``deleted`` (uids no longer there are skipped)."""
        inbox = await self._inbox(address)
        present = {m.uid: m async for m in inbox.messages()}
        deleted = [uid for uid in deleted if uid in present]
        for uid in seen:
            if uid in present and uid not in deleted:
                await inbox.update(uid, present[uid], frozenset({Seen}), FlagOp.ADD)
        if deleted:
            await inbox.delete(deleted)

    # -- IMAP listeners --------------------------------------------------------------------

    async def listen_imap(self, host: str, port: int, tls: str, ssl_context: ssl.SSLContext | None) -> Listener:
        """Serve IMAP on ``host:port`` (0: any free port). ``tls``: ``none``, ``starttls`` or ``implicit``."""
        if tls != "none" and ssl_context is None:
            raise ValueError(f"tls={tls} needs an ssl_context.")
        config = _config(ssl_context, starttls=tls == "starttls")
        imap = IMAPServer(_Login(self, config), config)
        connections = Connections()

        async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await imap(reader, writer, SocketInfo.get(writer, None, unique_id=uuid.uuid4().bytes))

        server = await asyncio.start_server(
            connections.track(connection, tls=ssl_context if tls == "implicit" else None), host, port
        )
        return Listener(server, server.sockets[0].getsockname()[1], connections)
