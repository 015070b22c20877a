"""Group chats in the offline server: who is in them, and which messages the bot receives.

Telegram's rules, as far as the bot can tell them apart:

* With privacy mode on (``can_read_all_group_messages`` false in getMe, BotFather's default), a
  bot that is not an admin receives only commands, replies to its own messages, messages that
  mention it, and service messages (members joining and leaving, the group's migration). An
  admin, or a bot with privacy mode off, receives every message.
* ``my_chat_member`` tells the bot about its own membership; ``chat_member`` about everyone
  else's, and only while the bot is an admin (and asked for it in ``allowed_updates``).
* A basic group that becomes a supergroup gets a new chat id; the old chat says
  ``migrate_to_chat_id`` and the new one ``migrate_from_chat_id``.

The stored state lives in ``World.group_members`` (chat id -> user id -> status); the test
driver is :class:`GroupDriver` (``FakeTelegram.groups``).
"""

from __future__ import annotations

import copy
import itertools
import time
from typing import TYPE_CHECKING

from bot.offline.errors import ApiError
from bot.offline.messages import JSONDict

if TYPE_CHECKING:
    from bot.offline.state import World

GROUP_TYPES = frozenset({"group", "supergroup"})
PRESENT = frozenset({"creator", "administrator", "member"})
ADMINS = frozenset({"creator", "administrator"})

# Every right an administrator can have, as getChatMember reports them; the bot needs none.
_ADMIN_RIGHTS = (
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def status_of(world: World, chat_id: int, user_id: int) -> str:
    """``creator``, ``administrator``, ``member``, ``left`` or ``kicked``.

    A group the driver never set up (a test that just writes in "some group") has the bot in
    it as a plain member and everyone who writes there as members.
    """
    members = world.group_members.get(chat_id)
    if members is None:
        return "member"
    return members.get(user_id, "left")


def member_object(user: JSONDict, status: str) -> JSONDict:
    """A ChatMember object: the fields Telegram sends for each status."""
    member: JSONDict = {"status": status, "user": dict(user)}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member |= {right: right == "can_manage_chat" for right in _ADMIN_RIGHTS}
    elif status == "kicked":
        member["until_date"] = 0
    return member


def chat_member(world: World, chat_id: int, user_id: int) -> JSONDict:
    """The ChatMember object getChatMember answers with."""
    user = world.bot_user if user_id == world.bot_user["id"] else world.user(user_id)
    return member_object(user, status_of(world, chat_id, user_id))


def administrators(world: World, chat_id: int) -> list[JSONDict]:
    """What getChatAdministrators answers: the creator and the admins, the bot among them."""
    members = world.group_members.get(chat_id, {})
    return [chat_member(world, chat_id, uid) for uid, s in members.items() if s in ADMINS]


def member_count(world: World, chat_id: int) -> int:
    members = world.group_members.get(chat_id)
    if members is None:
        return 2  # the bot and whoever writes: a group the driver never set up
    return sum(1 for status in members.values() if status in PRESENT)


def receives(world: World, message: JSONDict) -> bool:
    """Whether Telegram delivers ``message`` (sent in a group by a person) to the bot."""
    chat = message["chat"]
    if chat.get("type") not in GROUP_TYPES:
        return True
    bot = world.bot_user
    status = status_of(world, chat["id"], bot["id"])
    if status not in PRESENT:
        return False
    if bot.get("can_read_all_group_messages") or status in ADMINS:
        return True
    text = str(message.get("text") or message.get("caption") or "")
    username = str(bot.get("username") or "")
    if text.startswith("/"):
        _, _, addressee = text.split(maxsplit=1)[0].partition("@")
        return not addressee or addressee.lower() == username.lower()
    replied = message.get("reply_to_message") or {}
    if (replied.get("from") or {}).get("id") == bot["id"]:
        return True
    if username and f"@{username.lower()}" in text.lower():
        return True
    service = ("new_chat_members", "left_chat_member", "migrate_to_chat_id", "migrate_from_chat_id")
    return any(key in message for key in service)


def check_can_post(world: World, chat_id: int) -> None:
    """Refuse a send to a group the bot is no longer in, as Telegram does."""
    chat = world.chats.get(chat_id) or {}
    if chat.get("type") not in GROUP_TYPES:
        return
    status = status_of(world, chat_id, world.bot_user["id"])
    if status == "kicked":
        raise ApiError(403, "Forbidden: bot was kicked from the group chat")
    if status not in PRESENT:
        raise ApiError(403, "Forbidden: bot is not a member of the group chat")


class GroupDriver:
    """The people's side of group chats: create one, join, leave, promote the bot, migrate."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._supergroup_ids = itertools.count(1_001_000_000_001)

    def create(
        self,
        chat_id: int,
        title: str,
        *,
        owner: int,
        members: tuple[int, ...] = (),
        supergroup: bool = False,
        bot_admin: bool = False,
    ) -> JSONDict:
        """A group ``owner`` made with ``members``, then added the bot to (it gets told)."""
        chat = {"id": chat_id, "type": "supergroup" if supergroup else "group", "title": title}
        self.world.chats[chat_id] = chat
        people = {owner: "creator", **{m: "member" for m in members if m != owner}}
        self.world.group_members[chat_id] = people
        for user_id in people:
            self.world.user(user_id)
        self._bot_status(chat_id, owner, "administrator" if bot_admin else "member")
        self._service(chat_id, owner, new_chat_members=[dict(self.world.bot_user)])
        return dict(chat)

    def add_member(self, chat_id: int, user_id: int, *, by: int | None = None) -> None:
        """``user_id`` joins (or is added by ``by``)."""
        old = self._set(chat_id, user_id, "member")
        user = self.world.user(user_id)
        self._service(chat_id, by or user_id, new_chat_members=[user])
        self._member_update(chat_id, by or user_id, user_id, old, "member")

    def remove_member(self, chat_id: int, user_id: int, *, by: int | None = None) -> None:
        """``user_id`` leaves (or is removed by ``by``, which bans them)."""
        status = "kicked" if by is not None and by != user_id else "left"
        old = self._set(chat_id, user_id, status)
        self._service(chat_id, by or user_id, left_chat_member=self.world.user(user_id))
        self._member_update(chat_id, by or user_id, user_id, old, status)

    def promote_bot(self, chat_id: int, *, by: int) -> None:
        """An admin makes the bot an administrator: it now receives every message."""
        self._bot_status(chat_id, by, "administrator")

    def remove_bot(self, chat_id: int, *, by: int) -> None:
        """The bot is removed from the group: it receives nothing more and can't post there."""
        self._bot_status(chat_id, by, "kicked")

    def set_privacy_mode(self, enabled: bool) -> None:
        """BotFather's /setprivacy (the bot sees the change in its next getMe)."""
        self.world.bot_user["can_read_all_group_messages"] = not enabled

    def migrate(self, chat_id: int, *, by: int) -> int:
        """The group becomes a supergroup with a new id; returns the new id."""
        new_id = -next(self._supergroup_ids)
        old = self.world.chats[chat_id]
        self.world.chats[new_id] = {"id": new_id, "type": "supergroup", "title": old["title"]}
        self.world.group_members[new_id] = dict(self.world.group_members.get(chat_id, {}))
        self._service(chat_id, by, migrate_to_chat_id=new_id)
        self._service(new_id, by, migrate_from_chat_id=chat_id)
        self.world.group_members[chat_id] = {}
        return new_id

    # ---- helpers --------------------------------------------------------------------------

    def _set(self, chat_id: int, user_id: int, status: str) -> str:
        members = self.world.group_members.setdefault(chat_id, {})
        old = members.get(user_id, "left")
        members[user_id] = status
        return old

    def _bot_status(self, chat_id: int, by: int, status: str) -> None:
        bot_id = self.world.bot_user["id"]
        old = self._set(chat_id, bot_id, status)
        self.world.add_update(
            {"my_chat_member": self._changed(chat_id, by, self.world.bot_user, old, status)}
        )

    def _member_update(self, chat_id: int, by: int, user_id: int, old: str, new: str) -> None:
        """``chat_member`` reaches the bot only while it is an admin of the group."""
        if status_of(self.world, chat_id, self.world.bot_user["id"]) in ADMINS:
            user = self.world.user(user_id)
            self.world.add_update({"chat_member": self._changed(chat_id, by, user, old, new)})

    def _changed(self, chat_id: int, by: int, user: JSONDict, old: str, new: str) -> JSONDict:
        """A ChatMemberUpdated object."""
        return {
            "chat": dict(self.world.chats[chat_id]),
            "from": self.world.user(by),
            "date": int(time.time()),
            "old_chat_member": member_object(user, old),
            "new_chat_member": member_object(user, new),
        }

    def _service(self, chat_id: int, by: int, **content: object) -> None:
        """A service message in the chat, delivered when the bot is there to receive it."""
        chat = self.world.chats[chat_id]
        message = self.world.new_message(chat, self.world.user(by), **content)
        if receives(self.world, message):
            self.world.add_update({"message": copy.deepcopy(message)})
