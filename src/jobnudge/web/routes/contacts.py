"""Contacts: everyone across the search with their roles, preferred channel, time zone and
first-name status; each with their history and an edit form."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.domain import Channel, Contact, Role
from jobnudge.errors import NudgeError, UsageError
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, page, redirect

SALUTATIONS = ("", "Ms.", "Mr.", "Mrs.", "Dr.", "Mx.", "Prof.")
ROLE_WORDS = {
    Role.INTERVIEWER: "Interviewer",
    Role.HR: "HR",
    Role.RECRUITER: "Recruiter",
    Role.STAFFING: "Staffing firm",
    Role.REFERRER: "Referrer",
    Role.REFERENCE: "Reference",
}


def contact_values(c: Contact, company: str) -> dict[str, Any]:
    return {
        "name": c.name,
        "company": company,
        "title": c.title,
        "email": c.email,
        "phone": c.phone,
        "tz": c.tz or "",
        "country": c.country or "",
        "prefers": c.prefers.value if c.prefers else "",
        "roles": [r.value for r in c.roles],
        "first_name_ok": c.first_name_ok,
        "salutation": c.salutation,
        "notes": c.notes,
    }


def _common(ctx: Ctx) -> dict[str, Any]:
    from jobnudge.services import validate

    return {
        "role_words": ROLE_WORDS,
        "channels": list(Channel),
        "salutations": SALUTATIONS,
        "zones": validate.zone_names(),
    }


def contacts_page(
    ctx: Ctx,
    query: str = "",
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    store, owner = ctx.session.store, ctx.owner
    companies = {c.id: c.name for c in store.companies(owner)}
    people = store.find_contacts(owner, query[:200]) if query else store.contacts(owner)
    return page(
        ctx,
        "contacts.html",
        {
            **_common(ctx),
            "people": people,
            "companies": companies,
            "q": query[:200],
            "errors": errors or {},
            "values": values or {},
        },
        title="Contacts",
        status=status,
    )


def contact_page(
    ctx: Ctx,
    contact_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    store, owner = ctx.session.store, ctx.owner
    person = store.contact(owner, contact_id)
    companies = {c.id: c.name for c in store.companies(owner)}
    company = companies.get(person.company_id) if person.company_id else ""
    history = store.events_with_contact(owner, contact_id)
    opportunities = {o.id: (o, s) for o, s in store.opportunities(owner)}
    involved = sorted(
        {e.opportunity_id for e in history if e.opportunity_id is not None}
        | {o.id for o, _ in opportunities.values() if contact_id in (o.referrer_id, o.recruiter_id)}
    )
    return page(
        ctx,
        "contact.html",
        {
            **_common(ctx),
            "person": person,
            "company": company or "",
            "history": list(reversed(history)),
            "opportunities": opportunities,
            "involved": [opportunities[i] for i in involved if i in opportunities],
            "errors": errors or {},
            "values": values or contact_values(person, company or ""),
        },
        title=person.name,
        status=status,
    )


def read_fields(f: forms.Fields) -> dict[str, Any]:
    """The contact's fields from the form, each validated (errors collected in ``f``)."""
    from jobnudge.services import validate

    out: dict[str, Any] = {
        "title": f.text("title", "Title", max_length=200),
        "email": f.check("email", lambda: validate.email(f.raw("email"), "Email"), ""),
        "phone": f.text("phone", "Phone", max_length=60),
        "tz": f.check("tz", lambda: validate.zone(f.raw("tz").strip(), "Time zone"), None),
        "country": f.check(
            "country", lambda: validate.country(f.raw("country").strip(), "Country"), None
        ),
        "prefers": f.choice("prefers", "Prefers", Channel),
        "roles": f.check(
            "roles", lambda: validate.roles(f.many("roles"), "Roles"), frozenset[Role]()
        ),
        "first_name_ok": f.raw("first_name_ok") == "on",
        "notes": f.text("notes", "Notes", max_length=5000),
    }
    salutation = f.raw("salutation").strip()
    if salutation not in SALUTATIONS:
        f.errors["salutation"] = "Choose a salutation from the list, or none."
    out["salutation"] = salutation
    return out


def _values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {k: form.get(k) for k in form if k not in ("csrf_token", "roles")}
    values["roles"] = form.getlist("roles")
    values["first_name_ok"] = form.get("first_name_ok") == "on"
    return values


async def contacts(request: Request) -> Response:
    ctx = await context(request)
    return await call(contacts_page, ctx, request.query_params.get("q", ""))


async def show(request: Request) -> Response:
    ctx = await context(request)
    return await call(contact_page, ctx, int(request.path_params["contact"]))


async def add(request: Request) -> Response:
    from jobnudge.services import records

    ctx = await context(request)
    form = await forms.read(ctx)
    f = forms.Fields(form)
    name = f.text("name", "Name", required=True, max_length=200)
    company = f.text("company", "Company", max_length=200) or None
    fields = read_fields(f)
    try:
        f.done()
        out = await call(records.add_contact, ctx.session, name, company=company, **fields)
    except forms.Invalid as exc:
        return await call(
            contacts_page, ctx, errors=exc.errors, values=_values(form), status=exc.status
        )
    except NudgeError as exc:
        invalid = forms.from_error(exc)
        return await call(
            contacts_page, ctx, errors=invalid.errors, values=_values(form), status=invalid.status
        )
    assert out.contact is not None
    return redirect(ctx, f"/contacts/{out.contact.id}", f"Added {out.contact.name}.")


async def edit(request: Request) -> Response:
    from jobnudge.services import records

    ctx = await context(request)
    form = await forms.read(ctx)
    contact_id = int(request.path_params["contact"])
    person = await call(ctx.session.store.contact, ctx.owner, contact_id)
    f = forms.Fields(form)
    name = f.text("name", "Name", required=True, max_length=200)
    company = f.text("company", "Company", max_length=200)
    fields = read_fields(f)
    if name:
        fields["name"] = name
    try:
        f.done()
        if not company and person.company_id is not None:
            fields["company_id"] = None
        out = await call(
            records.edit_contact, ctx.session, str(person.id), company=company or None, **fields
        )
    except forms.Invalid as exc:
        return await call(
            contact_page,
            ctx,
            contact_id,
            errors=exc.errors,
            values=_values(form),
            status=exc.status,
        )
    except (NudgeError, UsageError) as exc:
        if exc.http_status == 404:
            raise
        invalid = forms.from_error(exc)
        return await call(
            contact_page,
            ctx,
            contact_id,
            errors=invalid.errors,
            values=_values(form),
            status=invalid.status,
        )
    assert out.contact is not None
    return redirect(
        ctx, f"/contacts/{out.contact.id}", f"Saved {out.contact.name}; follow-ups re-planned."
    )


ROUTES = [
    Route("/contacts", contacts, methods=["GET"]),
    Route("/contacts", add, methods=["POST"]),
    Route("/contacts/{contact:id}", show, methods=["GET"]),
    Route("/contacts/{contact:id}", edit, methods=["POST"]),
]
