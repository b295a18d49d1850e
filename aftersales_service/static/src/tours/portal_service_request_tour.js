/** @odoo-module **/

import { registry } from "@web/core/registry";

// The serial of the customer's unit the Python test sets up.
const SERIAL = "TOUR-SN-REQUEST";
// A 1x1 PNG, the photo of the fault the customer attaches.
const PHOTO =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

registry.category("web_tour.tours").add("aftersales_portal_service_request_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Ask for a service from the portal's home",
            trigger: 'a[href="/my/service_orders/new"]:contains("Request a Service")',
            run: "click",
        },
        {
            content: "Choose the unit",
            trigger: "select[name=lot_id]",
            run: `selectByLabel ${SERIAL}`,
        },
        {
            content: "Describe the fault",
            trigger: "textarea[name=description]",
            run: "edit The pump hums but no water comes out",
        },
        {
            content: "Attach a photo of the fault",
            trigger: "input[type=file][name=photos]",
            run() {
                const bytes = Uint8Array.from(atob(PHOTO), (c) => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], "fault.png", { type: "image/png" }));
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Send the request",
            trigger: ".o_aftersales_service_request_form button[type=submit]",
            run: "click",
        },
        {
            content: "The request is registered",
            trigger: '.alert-success[role=status]:contains("Your service request is registered")',
        },
        {
            content: "The order's steps start with the request",
            trigger: '.o_aftersales_timeline li[data-state=draft].fw-bold:contains("Requested")',
        },
        {
            content: "The order names the unit",
            trigger: `.card-body dd:contains("${SERIAL}")`,
        },
    ],
});
