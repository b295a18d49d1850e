from psycopg2.errors import LockNotAvailable

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# Marks the writes of the documents' own actions. It is a Python object, so no
# context sent over RPC can carry it: a client cannot pass for an action.
_ACTION_WRITE = object()


class AftersalesRulesMixin(models.AbstractModel):
    """The rules every after-sales document keeps on the server, whoever
    calls: its state and decisions change only through its actions; an action
    checks the state under a row lock, so that of two users at the same moment
    one goes on; what is overdue gets an activity once."""

    _name = "aftersales.rules.mixin"
    _description = "After-Sales Document Rules"
    # Fields that only the document's actions set (its state first of all):
    # refused in a plain create/write unless they keep their default.
    _aftersales_action_fields = ("state",)
    # Who gets the document's to-dos (else whoever created it).
    _aftersales_responsible_field = "user_id"

    @api.model_create_multi
    def create(self, vals_list):
        """Refuse values that only the actions may set."""
        for vals in vals_list:
            self._check_protected_values(vals, create=True)
        return super().create(vals_list)

    def write(self, vals):
        """Refuse values that only the actions may set."""
        self._check_protected_values(vals)
        return super().write(vals)

    def _check_protected_values(self, vals, create=False):
        """Refuse in ``vals`` what only the actions set (state, decisions).
        The system (sudo) and the actions themselves pass."""
        if self.env.su or self.env.context.get("aftersales_action_write") is _ACTION_WRITE:
            return
        blocked = [name for name in self._aftersales_action_fields if name in vals]
        if create:
            blocked = [name for name in blocked if not self._is_default(name, vals[name])]
        if blocked:
            raise UserError(
                self.env._(
                    "%(fields)s of %(model)s can only be changed through its actions "
                    "(buttons), not written directly.",
                    fields=", ".join(self._fields[name].string for name in blocked),
                    model=self._description,
                )
            )

    def _is_default(self, name, value):
        """Whether ``value`` is what field ``name`` of a new document holds anyway."""
        field = self._fields[name]
        default = field.default(self) if field.default else False
        return value == default or (not value and not default)

    def _write_from_action(self, vals):
        """Write ``vals`` as the document's own action (state, decisions)."""
        return self.with_context(aftersales_action_write=_ACTION_WRITE).write(vals)

    def _lock_for_action(self, what):
        """Lock the documents' rows before checking their state, so that of two
        users running ``what`` at the same moment exactly one goes on; the other
        is told to try again (the database would otherwise let both pass)."""
        if not self.ids:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT",
                        SQL.identifier(self._table),
                        tuple(self.ids),
                    ),
                    log_exceptions=False,
                )
        except LockNotAvailable:
            raise UserError(
                self.env._(
                    "%(records)s is being changed by another user right now: cannot %(what)s. "
                    "Reload it and try again.",
                    records=", ".join(self.mapped("display_name")),
                    what=what,
                )
            ) from None
        # Touch the rows: a transaction that read them before this one commits
        # then fails to lock them (PostgreSQL's serialization failure on an
        # updated row, which Odoo retries) instead of acting on a stale state.
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET write_date = now() AT TIME ZONE 'UTC', write_uid = %s "
                "WHERE id IN %s",
                SQL.identifier(self._table),
                self.env.uid,
                tuple(self.ids),
            )
        )
        self.invalidate_recordset()

    @api.model
    def _lock_batch(self, domain, limit=None):
        """The records of ``domain`` (the first ``limit`` by id) that this run
        of a job takes, their rows locked until its transaction ends. Rows that
        another worker's run of the same job holds are skipped (``SKIP
        LOCKED``): two workers running a job at the same moment never take the
        same record, and neither waits for the other. A record another run
        changed and committed meanwhile makes this run fail (PostgreSQL's
        serialization failure, the whole batch rolled back), and the job's next
        run goes on from what is left: never twice, never on a stale state."""
        query = self._search(domain, order="id", limit=limit)
        rows = self.env.execute_query(  # flushes what the domain reads first
            SQL("%s FOR UPDATE OF %s SKIP LOCKED", query.select(), SQL.identifier(self._table))
        )
        return self.browse(row[0] for row in rows)

    def _check_manager(self, what):
        """Refuse ``what`` to anyone but an After-Sales Manager (or the system)."""
        if not self.env.su and not self.env.user.has_group(
            "aftersales_service.group_aftersales_manager"
        ):
            raise AccessError(self.env._("Only an After-Sales Manager may %s.", what))

    def _check_state(self, states, what):
        """Refuse ``what`` to the documents that are not in one of ``states``."""
        wrong = self.filtered(lambda record: record.state not in states)
        if wrong:
            labels = dict(self._fields["state"].selection)
            raise UserError(
                self.env._(
                    "Cannot %(what)s %(records)s in its current state (%(state)s).",
                    what=what,
                    records=", ".join(wrong.mapped("name")),
                    state=", ".join(labels[s] for s in set(wrong.mapped("state"))),
                )
            )

    def _schedule_activity_once(self, summary, note, responsible=None):
        """Give the responsible of each document a to-do ``summary`` (with the
        ``note`` a function makes of the document), unless it already has one.
        ``responsible``, a function of the document, may name another user
        (when it gives none, the document's responsible has it).
        Returns the documents that got one now."""
        flagged = self.env["mail.activity"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("summary", "=", summary)]
        )
        todo = self.filtered(lambda record: record.id not in flagged.mapped("res_id"))
        for record in todo:
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=note(record),
                user_id=(
                    (responsible and responsible(record))
                    or record[self._aftersales_responsible_field]
                    or record.create_uid
                ).id,
            )
        return todo
