"""Customer credit notes for one unit, made with Odoo's own reversal of the
unit's invoice, so that accounts, taxes and the links to the sale line and the
invoice are what Accounting would have made."""

from odoo import Command


def reverse_unit_invoice_line(invoice_line, origin, ref, price_unit=None):
    """A draft credit note for one unit of ``invoice_line``, at ``price_unit``
    (the invoiced price when None), referenced ``origin`` and ``ref``."""
    credit_note = invoice_line.move_id.sudo()._reverse_moves(
        [{"invoice_origin": origin, "ref": ref}]
    )
    lines = credit_note.invoice_line_ids
    unit_line = lines.filtered(
        lambda line: (
            line.product_id == invoice_line.product_id
            and line.sale_line_ids == invoice_line.sale_line_ids
        )
    )[:1]
    unit_values = {"quantity": 1.0}
    if price_unit is not None:
        unit_values["price_unit"] = price_unit
    credit_note.write(
        {
            "invoice_line_ids": [
                *(Command.unlink(line.id) for line in lines - unit_line),
                Command.update(unit_line.id, unit_values),
            ]
        }
    )
    return credit_note


def unit_invoice_line(warranty):
    """The posted customer invoice line of the unit sold under ``warranty``
    (read as the system: invoices belong to Accounting), or an empty one."""
    return warranty.sudo().sale_line_id.invoice_lines.filtered(
        lambda line: line.move_id.move_type == "out_invoice" and line.move_id.state == "posted"
    )[:1]
