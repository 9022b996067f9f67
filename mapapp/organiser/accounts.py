"""Thin routes of ``/organiser/users`` and ``/organiser/teams``: accounts (new ones, new passwords,
locking and unlocking; each change of password or state signs that account out everywhere),
teams and their members. An organiser's own account changes only on ``/password``.

The domain functions live in ``mapapp.auth.users`` and ``mapapp.review.teams``; every form
carries a CSRF token (checked app-wide), and every change redirects back to its list.
"""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mapapp.findings import categories
from mapapp.auth import organiser_required, users
from mapapp.auth.forms import PASSWORD_HINT, password_message
from mapapp.db import db
from mapapp.errors import NotFound, ValidationFailed
from mapapp.organiser import bp
from mapapp.organiser.account_forms import (
    ROLE_LABELS, TEAM_MESSAGES, AccountStateForm, ActionForm, MemberForm, SetPasswordForm, TeamCategoriesForm,
    TeamForm, UserForm, category_choices,
)
from mapapp.review import teams


@bp.route("/users", methods=["GET", "POST"])
@organiser_required
def users_page():
    form = UserForm()
    if form.validate_on_submit():
        try:
            account = users.create_user(db.session, form.username.data, form.password.data,
                                        display_name=form.display_name.data, role=form.role.data)
        except ValidationFailed as err:
            db.session.rollback()
            form.show_domain_errors(err)
        else:
            flash(_("Das Konto „%(name)s“ ist angelegt.", name=account.username), "success")
            return redirect(url_for("organiser.users_page"))
    team_names: dict[int, list[str]] = {}
    for team in teams.list_teams(db.session):
        for member in team.members:
            team_names.setdefault(member.id, []).append(team.name)
    accounts = users.list_users(db.session)
    account_forms = {account.id: {"password": SetPasswordForm(prefix=f"user-{account.id}-password", formdata=None),
                                  "state": AccountStateForm(prefix=f"user-{account.id}-state", formdata=None,
                                                            active="0" if account.active else "1")}
                     for account in accounts if account.id != current_user.id}
    return render_template("organiser/users.html", form=form, accounts=accounts, account_forms=account_forms,
                           team_names=team_names, role_labels=ROLE_LABELS,
                           password_hint=PASSWORD_HINT), 422 if form.errors else 200


def _other_account(user_id: int) -> users.Account:
    """The account ``user_id``, not the organiser's own (that one changes on ``/password``)."""
    try:
        account = users.get_account(db.session, user_id)
    except NotFound:
        abort(404)
    if account.id == current_user.id:
        abort(403)
    return account


@bp.post("/users/<int:user_id>/password")
@organiser_required
def set_user_password(user_id):
    """A new password for another account; that account is signed out everywhere."""
    account = _other_account(user_id)
    form = SetPasswordForm(prefix=f"user-{user_id}-password")
    if form.validate_on_submit():
        try:
            users.set_password(db.session, user_id, form.password.data)
        except ValidationFailed as err:
            db.session.rollback()
            for problem in err.fields.values():
                flash(_("„%(name)s“: %(problem)s", name=account.username, problem=password_message(problem)),
                      "error")
        else:
            flash(_("„%(name)s“ hat ein neues Passwort und ist überall abgemeldet.", name=account.username),
                  "success")
    else:
        flash(_("Bitte ein neues Passwort eingeben."), "error")
    return redirect(url_for("organiser.users_page"))


@bp.post("/users/<int:user_id>/state")
@organiser_required
def set_user_state(user_id):
    """Lock an account (it is signed out everywhere and cannot sign in) or unlock it."""
    account = _other_account(user_id)
    form = AccountStateForm(prefix=f"user-{user_id}-state")
    if form.validate_on_submit():
        active = form.active.data == "1"
        users.set_active(db.session, user_id, active)
        if active:
            flash(_("Das Konto „%(name)s“ ist wieder freigegeben.", name=account.username), "success")
        else:
            flash(_("Das Konto „%(name)s“ ist gesperrt und überall abgemeldet.", name=account.username), "success")
    return redirect(url_for("organiser.users_page"))


def _team_forms(team: teams.TeamSummary, choices, members) -> dict:
    """The per-team forms (prefixed by the team id so their fields' ids stay unique on the page)."""
    prefix = f"team-{team.id}"
    categories_form = TeamCategoriesForm(prefix=prefix + "-categories", formdata=None)
    categories_form.categories.choices = choices
    categories_form.categories.data = team.categories
    member_form = MemberForm(prefix=prefix + "-member", formdata=None)
    in_team = {member.id for member in team.members}
    member_form.user_id.choices = [(account.id, account.name) for account in members if account.id not in in_team]
    return {"categories": categories_form, "member": member_form}


@bp.route("/teams", methods=["GET", "POST"])
@organiser_required
def teams_page():
    choices = category_choices(categories.list_categories(db.session))
    form = TeamForm()
    form.categories.choices = choices
    if form.validate_on_submit():
        try:
            team = teams.create_team(db.session, form.name.data, form.categories.data)
        except ValidationFailed as err:
            db.session.rollback()
            form.show_domain_errors(err)
        else:
            flash(_("Das Team „%(name)s“ ist angelegt.", name=team.name), "success")
            return redirect(url_for("organiser.teams_page"))
    members = [account for account in users.list_users(db.session)
               if account.role == "team_member" and account.active]
    all_teams = teams.list_teams(db.session)
    team_forms = {team.id: _team_forms(team, choices, members) for team in all_teams}
    return render_template("organiser/teams.html", form=form, teams=all_teams, team_forms=team_forms,
                           action_form=ActionForm()), 422 if form.errors else 200


def _existing_team(team_id: int) -> teams.TeamSummary:
    try:
        return teams.get_team(db.session, team_id)
    except NotFound:
        abort(404)


@bp.post("/teams/<int:team_id>/categories")
@organiser_required
def team_categories(team_id):
    team = _existing_team(team_id)
    form = TeamCategoriesForm(prefix=f"team-{team_id}-categories")
    form.categories.choices = category_choices(categories.list_categories(db.session))
    if not form.validate_on_submit():
        flash(TEAM_MESSAGES["categories"], "error")
    else:
        try:
            teams.set_team_categories(db.session, team_id, form.categories.data)
            flash(_("Die Kategorien von „%(name)s“ sind gespeichert.", name=team.name), "success")
        except ValidationFailed:
            db.session.rollback()
            flash(TEAM_MESSAGES["categories"], "error")
    return redirect(url_for("organiser.teams_page"))


@bp.post("/teams/<int:team_id>/members")
@organiser_required
def add_team_member(team_id):
    team = _existing_team(team_id)
    form = MemberForm(prefix=f"team-{team_id}-member")
    form.user_id.choices = [(account.id, account.name) for account in users.list_users(db.session)]
    if form.validate_on_submit():
        try:
            teams.add_member(db.session, team_id, form.user_id.data)
            flash(_("Das Team „%(name)s“ hat ein neues Mitglied.", name=team.name), "success")
            return redirect(url_for("organiser.teams_page"))
        except ValidationFailed:
            db.session.rollback()
    flash(TEAM_MESSAGES["user"], "error")
    return redirect(url_for("organiser.teams_page"))


@bp.post("/teams/<int:team_id>/members/<int:user_id>/remove")
@organiser_required
def remove_team_member(team_id, user_id):
    team = _existing_team(team_id)
    if ActionForm().validate_on_submit():
        teams.remove_member(db.session, team_id, user_id)
        flash(_("Das Mitglied ist aus „%(name)s“ entfernt.", name=team.name), "success")
    return redirect(url_for("organiser.teams_page"))
