/** @odoo-module **/

import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * Steps that open a menu of the After-Sales app from the home screen: the app,
 * then the top menu ``sectionXmlid`` and its entry ``menuXmlid``.
 *
 * @param {string} sectionXmlid
 * @param {string} menuXmlid
 * @param {string} description
 */
export function openAftersalesMenu(sectionXmlid, menuXmlid, description) {
    return [
        ...stepUtils.goToAppSteps("aftersales_service.aftersales_menu_root", "Open After-Sales"),
        {
            content: "Open the menu of the entry",
            trigger: `.o_main_navbar button[data-menu-xmlid="${sectionXmlid}"]`,
            run: "click",
        },
        {
            content: description,
            trigger: `.dropdown-menu a[data-menu-xmlid="${menuXmlid}"]`,
            run: "click",
        },
    ];
}

/** Steps that open After-Sales > Service > Service Orders from the home screen. */
export function openServiceOrders() {
    return openAftersalesMenu(
        "aftersales_service.aftersales_menu_service",
        "aftersales_service.aftersales_service_order_menu",
        "Open the service orders"
    );
}

/**
 * The step that checks the status bar of the form shows ``label`` as current.
 *
 * @param {string} label
 */
export function checkStatus(label) {
    return {
        content: `The record is ${label}`,
        trigger: `.o_statusbar_status .o_arrow_button_current:contains("${label}")`,
    };
}
