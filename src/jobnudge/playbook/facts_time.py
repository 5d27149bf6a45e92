"""The time-and-place half of ``Facts``: due moments on the contact's calendar, and dates
worded for the user (with the contact's own beside them when their clock reads otherwise)."""

from __future__ import annotations

from datetime import date, datetime, time

from jobnudge.config import Playbook
from jobnudge.domain import Contact, Event
from jobnudge.playbook import calendar, wording


class Timing:
    """Read by every rule; ``Facts`` sets the attributes below once per plan."""

    __slots__ = ()

    numbers: Playbook
    user_tz: str
    home_country: str

    def tz_of(self, contact: Contact | None) -> str:
        return contact.tz if contact is not None and contact.tz else self.user_tz

    def country_of(self, contact: Contact | None) -> str:
        return contact.country if contact is not None and contact.country else self.home_country

    def working_morning(
        self, instant: datetime, days_later: float, contact: Contact | None
    ) -> datetime:
        """Start of the contact's working day ``days_later`` calendar days after ``instant``,
        moved past weekends and public holidays (guard.working-days)."""
        return calendar.working_morning(
            instant,
            int(days_later),
            self.numbers.workday_start_hour,
            self.tz_of(contact),
            self.country_of(contact),
        )

    def end_of_local_day(
        self, instant: datetime, days_later: float, contact: Contact | None
    ) -> datetime:
        return calendar.end_of_day_after(instant, int(days_later), self.tz_of(contact))

    def on_day(self, iso_day: str, contact: Contact | None) -> datetime:
        """Noon of a stated day ("2027-01-15") on the contact's calendar: an instant that
        stands for the whole day in every zone's arithmetic."""
        day = date.fromisoformat(iso_day)
        return calendar.at_local(day, time(12), self.tz_of(contact))

    def at_hour(self, instant: datetime, hour: float, contact: Contact | None) -> datetime:
        return calendar.same_day_at(instant, hour, self.tz_of(contact))

    def day(self, instant: datetime) -> str:
        """A date as the user reads it, on their own calendar."""
        return wording.day(instant, self.user_tz)

    def moment(self, instant: datetime) -> str:
        return wording.moment(instant, self.user_tz)

    def _elsewhere(self, instant: datetime, contact: Contact | None) -> str:
        """The contact's first name when their clock reads otherwise than the user's at
        ``instant``, else "" (no zone of their own, or the same hour)."""
        if contact is None or not contact.tz or not contact.name.strip():
            return ""
        if calendar.offset(instant, contact.tz) == calendar.offset(instant, self.user_tz):
            return ""
        return contact.name.split()[0]

    def day_for(self, instant: datetime, contact: Contact | None) -> str:
        """The user's day, and the contact's when their calendar names another one:
        'Tue 8 Dec (Wed 9 Dec for Kenji)'."""
        mine, who = self.day(instant), self._elsewhere(instant, contact)
        theirs = wording.day(instant, self.tz_of(contact)) if who else mine
        return mine if theirs == mine else f"{mine} ({theirs} for {who})"

    def happened_on(self, event: Event, contact: Contact | None) -> str:
        """'on Tue 8 Dec', or for an event whose day nobody gave (a status imported without a
        date) the words that say so instead of the moment it was recorded by."""
        if event.date_unknown:
            return "on a day not recorded"
        return f"on {self.day_for(event.at, contact)}"

    def counted_from_record(self, event: Event) -> str:
        """For a wait timed from an event of unknown day: it happened by the time it was
        recorded, so counting from then is never too early (guard.not-too-early)."""
        if not event.date_unknown:
            return ""
        return (
            f" The wait counts from {self.day(event.at)}, when it was recorded (it took place "
            "by then); import the sheet again with its day for an exact time."
        )

    def moment_for(self, instant: datetime, contact: Contact | None) -> str:
        """The user's clock, and the contact's beside it when it reads otherwise:
        'Tue 8 Dec 21:00 (Wed 9 Dec 11:00 for Kenji)' (the app's "9:00 am for Oliver")."""
        mine, who = self.moment(instant), self._elsewhere(instant, contact)
        if not who:
            return mine
        return f"{mine} ({wording.moment(instant, self.tz_of(contact))} for {who})"

    def due_day(self, due: datetime, contact: Contact | None) -> str:
        """The day a due instant falls on in the contact's calendar (whose working days set
        it), saying whose and when that is for the user when the clocks differ:
        'Tue 8 Dec for Kenji, from Mon 7 Dec 19:00 your time'."""
        tz, who = self.tz_of(contact), self._elsewhere(due, contact)
        if not who:
            return wording.day(due, tz)
        return f"{wording.day(due, tz)} for {who}, from {self.moment(due)} your time"
