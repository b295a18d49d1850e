/** @odoo-module **/

import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";
import { openAftersalesMenu } from "./aftersales_tour_utils";

// The serial of the warranty the Python test sets up.
const SERIAL = "TOUR-SN-CERT";

/**
 * Make the next download post its request as the browser would, and write the
 * answer (the HTTP status and the file name) on the body instead of saving the
 * file: the tour then waits for the certificate the server sent.
 */
function watchNextDownload() {
    const realDownload = download._download;
    download._download = async (options) => {
        download._download = realDownload;
        const body = new FormData();
        for (const [key, value] of Object.entries(options.data)) {
            body.append(key, value);
        }
        body.append("token", "dummy-because-api-expects-one");
        body.append("csrf_token", odoo.csrf_token);
        const response = await fetch(options.url, { method: "POST", body });
        const disposition = decodeURIComponent(response.headers.get("Content-Disposition") || "");
        document.body.dataset.aftersalesDownload = `${response.status} ${disposition}`;
    };
}

registry.category("web_tour.tours").add("aftersales_warranty_certificate_tour", {
    url: "/odoo",
    steps: () => [
        ...openAftersalesMenu(
            "aftersales_service.aftersales_menu_warranties",
            "aftersales_service.aftersales_warranty_menu",
            "Open the warranties"
        ),
        {
            content: "Open the warranty of the unit",
            trigger: `.o_data_row:contains("${SERIAL}") .o_data_cell`,
            run: "click",
        },
        {
            content: "Watch the download of the certificate",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_print_certificate]",
            run: watchNextDownload,
        },
        {
            content: "Print the certificate",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_print_certificate]",
            run: "click",
        },
        {
            content: "The server sends the certificate as a PDF file",
            trigger: [
                'body[data-aftersales-download^="200 "]',
                '[data-aftersales-download*="Warranty Certificate - WAR-"]',
                '[data-aftersales-download$=".pdf"]',
            ].join(""),
        },
    ],
});
