"""referral.update, references.heads-up, references.thanks, offer.thank-you,
rejection.gracious-note and rejection.reconnect."""

from __future__ import annotations

from datetime import timedelta

from jobnudge.domain import Channel, MessageKind

from .builders import Story, at, interviewer, local, of_rule, only, reference, referrer

LONDON = "Europe/London"

# --- referral.update --------------------------------------------------------------------------


def test_the_referrer_hears_when_you_apply_within_a_couple_of_days() -> None:
    lee = referrer(7, "Lee Chan", tz=LONDON, country="GB", prefers=Channel.TEXT)
    story = Story().with_opportunity(referrer_id=lee.id).knows(lee)
    applied = story.applied(at("2026-11-03 10:00"))

    update = only(story.derive(), "referral.update")

    assert update.contact_id == lee.id
    assert update.due == applied.at
    assert local(update.due_by, LONDON) == "2026-11-05 23:59"
    assert update.channel is Channel.TEXT
    assert "Lee Chan" in update.reason and "Tue 3 Nov" in update.reason


def test_a_message_to_the_referrer_completes_the_update_until_the_next_step() -> None:
    lee = referrer(7, "Lee Chan")
    story = Story().with_opportunity(referrer_id=lee.id).knows(lee)
    story.applied(at("2026-11-03 10:00"))
    story.sent(at("2026-11-03 18:00"), lee, kind=MessageKind.UPDATE)

    assert of_rule(story.derive(), "referral.update") == []

    interview = story.interviewed(at("2026-11-12 10:00"), interviewer(2, "Dana Lee"))
    update = only(story.derive(), "referral.update")
    assert update.anchor_event_id == interview.id
    assert "you interviewed" in update.reason


def test_a_message_to_nobody_in_particular_does_not_complete_the_referral_update() -> None:
    # A thank-you for the offer logged without a person went to the hiring team, not to the
    # person who referred you: their update stays until a message to them is logged.
    lee = referrer(7, "Lee Chan")
    story = Story().with_opportunity(referrer_id=lee.id).knows(lee)
    story.applied(at("2026-11-18 09:00"))
    offer = story.offer(at("2026-11-20 10:00"))
    story.sent(at("2026-11-20 11:00"), kind=MessageKind.THANK_YOU)

    nudges = story.derive()

    assert of_rule(nudges, "offer.thank-you") == []  # the employer was thanked
    update = only(nudges, "referral.update")
    assert update.contact_id == lee.id and update.anchor_event_id == offer.id

    story.sent(at("2026-11-20 12:00"), lee, kind=MessageKind.UPDATE)
    assert of_rule(story.derive(), "referral.update") == []


def test_the_referrer_hears_the_outcome() -> None:
    lee = referrer(7, "Lee Chan")
    story = Story().with_opportunity(referrer_id=lee.id).knows(lee)
    story.applied(at("2026-11-03 10:00"))
    story.sent(at("2026-11-03 18:00"), lee, kind=MessageKind.UPDATE)
    outcome = story.offer(at("2026-11-20 10:00"))

    update = only(story.derive(), "referral.update")

    assert update.anchor_event_id == outcome.id
    assert "offer" in update.reason


def test_no_referral_update_without_a_referrer() -> None:
    story = Story()
    story.applied(at("2026-11-03 10:00"))

    assert of_rule(story.derive(), "referral.update") == []


# --- references -------------------------------------------------------------------------------


def test_each_reference_gets_a_heads_up_the_same_day() -> None:
    pat = reference(8, "Pat Kim", tz=LONDON, country="GB")
    ann = reference(9, "Ann Roe", prefers=Channel.CALL)
    story = Story()
    story.applied(at("2026-11-03 10:00"))
    given = story.references_given(at("2026-11-10 11:00"), pat, ann)

    heads_up = {n.contact_id: n for n in of_rule(story.derive(), "references.heads-up")}

    assert set(heads_up) == {pat.id, ann.id}
    assert heads_up[pat.id].due == given.at
    assert local(heads_up[pat.id].due_by, LONDON) == "2026-11-10 23:59"
    assert local(heads_up[ann.id].due_by) == "2026-11-10 20:30"  # by phone: her call hours
    assert heads_up[ann.id].channel is Channel.CALL
    assert "Pat Kim" in heads_up[pat.id].reason and "Tue 10 Nov" in heads_up[pat.id].reason


def test_a_message_to_a_reference_completes_only_their_heads_up() -> None:
    pat = reference(8, "Pat Kim")
    ann = reference(9, "Ann Roe")
    story = Story()
    story.references_given(at("2026-11-10 11:00"), pat, ann)
    story.sent(at("2026-11-10 12:00"), pat, kind=MessageKind.NOTE)

    assert [n.contact_id for n in of_rule(story.derive(), "references.heads-up")] == [ann.id]


def test_a_message_to_nobody_in_particular_is_no_references_heads_up_or_thanks() -> None:
    pat = reference(8, "Pat Kim")
    story = Story()
    story.references_given(at("2026-11-10 11:00"), pat)
    story.sent(at("2026-11-10 12:00"), kind=MessageKind.UPDATE)  # to the employer

    assert only(story.derive(), "references.heads-up").contact_id == pat.id

    story.sent(at("2026-11-10 13:00"), pat, kind=MessageKind.UPDATE)
    story.rejected(at("2026-11-20 10:00"))
    story.sent(at("2026-11-20 15:00"), kind=MessageKind.THANK_YOU)  # the gracious note

    nudges = story.derive()
    assert of_rule(nudges, "rejection.gracious-note") == []
    assert only(nudges, "references.thanks").contact_id == pat.id


def test_references_are_thanked_after_the_outcome_and_not_before() -> None:
    pat = reference(8, "Pat Kim")
    story = Story()
    story.references_given(at("2026-11-10 11:00"), pat)
    story.sent(at("2026-11-10 12:00"), pat, kind=MessageKind.NOTE)

    assert of_rule(story.derive(), "references.thanks") == []

    outcome = story.rejected(at("2026-11-20 10:00"))
    thanks = only(story.derive(), "references.thanks")
    assert thanks.due == outcome.at
    assert local(thanks.due_by) == "2026-11-23 23:59"
    assert "Pat Kim" in thanks.reason and "Fri 20 Nov" in thanks.reason


def test_references_handed_over_after_an_offer_get_a_heads_up_not_yet_thanks() -> None:
    pat = reference(8, "Pat Kim")
    story = Story()
    story.offer(at("2026-11-20 10:00"))
    story.references_given(at("2026-11-23 10:00"), pat)

    nudges = story.derive()

    assert only(nudges, "references.heads-up").contact_id == pat.id
    assert of_rule(nudges, "references.thanks") == []


# --- offer.thank-you ------------------------------------------------------------------------


def test_an_offer_is_answered_with_thanks_within_24_hours() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-10 10:00"), dana)
    offer = story.offer(at("2026-11-20 10:00"), dana)

    thanks = only(story.derive(), "offer.thank-you")

    assert thanks.due == offer.at
    assert thanks.due_by == offer.at + timedelta(hours=24)
    assert thanks.contact_id == dana.id and thanks.channel is Channel.EMAIL
    assert "Fri 20 Nov" in thanks.reason


def test_a_message_after_the_offer_completes_the_offer_thanks() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.offer(at("2026-11-20 10:00"), dana)
    story.sent(at("2026-11-20 15:00"), dana, kind=MessageKind.THANK_YOU)

    assert of_rule(story.derive(), "offer.thank-you") == []


def test_a_message_to_the_employer_in_general_completes_the_offer_thanks() -> None:
    story = Story()
    story.offer(at("2026-11-20 10:00"))
    story.sent(at("2026-11-20 15:00"), kind=MessageKind.THANK_YOU)

    assert of_rule(story.derive(), "offer.thank-you") == []


def test_an_update_to_the_referrer_is_not_the_offer_thanks() -> None:
    lee = referrer(7, "Lee Chan")
    story = Story().with_opportunity(referrer_id=lee.id).knows(lee)
    story.offer(at("2026-11-20 10:00"))
    story.sent(at("2026-11-20 15:00"), lee, kind=MessageKind.UPDATE)

    nudges = story.derive()

    assert of_rule(nudges, "referral.update") == []
    assert only(nudges, "offer.thank-you").contact_id is None


# --- rejection ------------------------------------------------------------------------------


def test_a_rejection_calls_for_a_gracious_note_within_two_days() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-10 10:00"), dana)
    rejected = story.rejected(at("2026-11-20 10:00"))

    nudges = story.derive()

    note = only(nudges, "rejection.gracious-note")
    assert note.due == rejected.at
    assert local(note.due_by) == "2026-11-22 23:59"
    assert note.contact_id == dana.id  # the last interviewer, when the rejection names nobody
    assert "Fri 20 Nov" in note.reason
    assert of_rule(nudges, "interview.status-check") == []


def test_about_90_days_after_the_gracious_note_a_reconnect_falls_due() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-10 10:00"), dana)
    story.rejected(at("2026-11-20 10:00"))
    note = story.sent(at("2026-11-21 10:00"), dana, kind=MessageKind.NOTE)  # a Saturday

    nudges = story.derive()

    assert of_rule(nudges, "rejection.gracious-note") == []
    reconnect = only(nudges, "rejection.reconnect")
    assert reconnect.anchor_event_id == note.id
    assert local(reconnect.due) == "2027-02-19 09:00"  # 90 days on is Fri 19 Feb 2027
    assert "Sat 21 Nov" in reconnect.reason


def test_the_reconnect_is_done_once_sent() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.rejected(at("2026-11-20 10:00"), dana)
    story.sent(at("2026-11-21 10:00"), dana, kind=MessageKind.NOTE)
    story.sent(at("2027-02-19 10:00"), dana, kind=MessageKind.NOTE)

    assert {n.rule for n in story.derive()} & {
        "rejection.reconnect",
        "rejection.gracious-note",
    } == set()
