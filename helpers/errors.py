"""What goes wrong when reading reports, said so that a reader can fix it.

A :class:`ReportError` names the file and says what to do; a
:class:`ReportWarning` tells about something a reader should check in a report
that still loaded (e.g. a file the manifest does not list).

Both speak English and Chinese: ``str(error)`` is the message in the language
:func:`helpers.setup` chose (``language="zh"`` in the Chinese edition), and
``error.english`` and ``error.chinese`` hold both. A :class:`Message` is a piece
of such a message (a reason without the file name): an English ``str`` that
carries its Chinese translation, written ``f"{reason:zh}"`` in a Chinese f-string.
"""

from __future__ import annotations

import os
from pathlib import Path

from .notebook import say

__all__ = ["Message", "ReportError", "ReportWarning", "in_language", "is_utf8_name", "shown"]


class Message(str):
    """An English text (it *is* the str) with its Chinese translation, ``.chinese``.

    It behaves as the English string everywhere (so code that compares or
    slices it is unchanged); the format spec ``zh`` gives the Chinese and ``en``
    the English, so the two versions of a message can share one placeholder.
    Without ``zh`` the text is the same in both languages (a file name, a number).

    Example:
        >>> empty = Message("is empty.", zh="是空的。")
        >>> empty, f"{empty:zh}", f"{empty:en}", empty.chinese
        ('is empty.', '是空的。', 'is empty.', '是空的。')
    """

    chinese: str

    def __new__(cls, english: str, *, zh: str | None = None) -> Message:
        self = super().__new__(cls, english)
        if zh is None:
            zh = english.chinese if isinstance(english, Message) else english
        self.chinese = str(zh)
        return self

    @property
    def english(self) -> str:
        """The English text, as a plain str."""
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        if spec == "zh":
            return self.chinese
        if spec == "en":
            return self.english
        return format(self.english, spec)

    def __reduce__(self):
        return (_message, (self.english, self.chinese))


def _message(english: str, chinese: str) -> Message:
    return Message(english, zh=chinese)


def in_language(text: str) -> str:
    """``text`` in the current :func:`~helpers.notebook.language` (a plain str stays as it is).

    Example:
        >>> in_language(Message("is empty.", zh="是空的。")), in_language("a.txt")
        ('is empty.', 'a.txt')
    """
    if isinstance(text, Message):
        return say(str.__str__(text), text.chinese)
    return str.__str__(text)


class _Bilingual:
    """The two languages of a ReportError or ReportWarning (a mixin)."""

    english: str
    chinese: str

    def _set(self, message: str, zh: str | None) -> None:
        if zh is None:
            zh = message.chinese if isinstance(message, Message) else message
        self.english, self.chinese = str.__str__(message), str(zh)

    @property
    def message(self) -> Message:
        """Both languages as one :class:`Message` (English, with ``.chinese``)."""
        return Message(self.english, zh=self.chinese)

    def __str__(self) -> str:
        return say(self.english, self.chinese)

    def __reduce__(self):
        # Both languages survive pickling (errors come back from worker processes).
        return (_rebuild, (type(self), self.english, self.chinese), self.__dict__)


def _rebuild(cls: type, english: str, chinese: str):
    return cls(english, zh=chinese)


class ReportError(_Bilingual, ValueError):
    """A report or manifest that cannot be read, with the file named and a fix suggested.

    ``ReportError(english, zh=chinese)``: ``str(error)`` is the message in the
    current language; ``error.english`` and ``error.chinese`` are both.

    Example:
        >>> error = ReportError("a.txt: the file is empty.", zh="a.txt: 文件是空的。")
        >>> str(error), error.chinese
        ('a.txt: the file is empty.', 'a.txt: 文件是空的。')
    """

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(str.__str__(message))
        self._set(message, zh)

    def without_name(self, name: str) -> Message:
        """The reason alone, both languages: the message without its leading ``"name: "``.

        Example:
            >>> ReportError("a.txt: is empty.", zh="a.txt: 是空的。").without_name("a.txt").chinese
            '是空的。'
        """
        prefix = name + ": "
        return Message(self.english.removeprefix(prefix), zh=self.chinese.removeprefix(prefix))


class ReportWarning(_Bilingual, UserWarning):
    """Something a reader should know about a report that still loaded (e.g. no manifest row).

    ``ReportWarning(english, zh=chinese)``, like :class:`ReportError`.
    """

    def __init__(self, message: str = "", *, zh: str | None = None) -> None:
        super().__init__(str.__str__(message))
        self._set(message, zh)


def shown(path: str | Path) -> str:
    """A path for messages, exactly as the user gave it (a relative path stays relative).

    A name that is not valid UTF-8 (from an archive made on another system)
    shows its odd bytes as ``\\xNN``, so that the message can be printed and saved.

    Example:
        >>> shown(Path("../seeds") / "manifest.csv")
        '../seeds/manifest.csv'
        >>> shown(os.fsdecode(b"caf\\xe9.txt"))
        'caf\\\\xe9.txt'
    """
    text = Path(path).as_posix()
    if is_utf8_name(text):
        return text
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def is_utf8_name(name: str) -> bool:
    """True if a file name (as Python gives it) was valid UTF-8 on disk.

    Python turns the bytes of a name that is not UTF-8 into "surrogate" code
    points, which cannot be written to a UTF-8 file or printed.

    Example:
        >>> is_utf8_name("报告.txt"), is_utf8_name(os.fsdecode(b"\\xb1\\xa8.txt"))
        (True, False)
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
