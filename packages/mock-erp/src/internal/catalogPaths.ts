/**
 * The pages of the vendor's API catalog that the mock does not implement, by folder. A request to one of them
 * gets a "not implemented" answer; a path that is in no catalog gets IIS's 404 page, as a missing file would.
 */
const folders: Readonly<Record<string, ReadonlyArray<string>>> = {
  "/sysa/mobilephone/financemanage/invoiceback": ["content.asp", "list.asp"],
  "/sysa/mobilephone/financemanage/moneyback": ["content.asp", "list.asp"],
  "/sysa/mobilephone/salesmanage/chance": ["add.asp", "list.asp"],
  "/sysa/mobilephone/salesmanage/contract": [
    "add.asp",
    "billlist.asp",
    "contractlist.asp",
    "contractlist_edit.asp",
    "share.asp",
    "unitchange.asp"
  ],
  "/sysa/mobilephone/salesmanage/custom": ["approve_set.asp", "share.asp"],
  "/sysa/mobilephone/salesmanage/product": ["billlist.asp", "billservice.asp"],
  "/sysa/mobilephone/salesmanage/repair": ["dealadd.asp", "dealcontent.asp", "deallist.asp"],
  "/sysa/mobilephone/salesmanage/service": ["add.asp", "chuli.asp", "list.asp"],
  "/sysa/mobilephone/storemanage/caigou": ["add.asp", "list.asp"],
  "/sysa/mobilephone/storemanage/kuin": ["detail.asp", "list.asp", "morekuinlist.asp"],
  "/sysa/mobilephone/storemanage/sent": ["detail.asp", "list.asp", "moresendlist.asp"],
  "/sysa/mobilephone/storemanage/store": ["content.asp", "list.asp"],
  "/sysa/mobilephone/systemmanage": ["approve.asp", "product_sort_list.asp", "area_list.asp"],
  "/webapi/api/zbservices/webapi/produce/bom/handler/bomhandler": ["getboms", "saveboms"],
  "/webapi/api/zbservices/webapi/produce/material/materialorderhandler": ["getmaterialorders", "savematerialorders"],
  "/webapi/api/zbservices/webapi/produce/material/materialregisterhandler": [
    "getmaterialregisters",
    "savematerialregisters"
  ],
  "/webapi/api/zbservices/webapi/produce/qualitycontrol/qualitytestinghandler": [
    "checkqualitytestings",
    "getqualitylevellist",
    "getqualitytestingplans",
    "getqualitytestingtasks",
    "getqualitytestings",
    "getscrapreasonlist",
    "getunqualifiedlist",
    "savequalitytestings",
    "savequalitytestingstask"
  ],
  "/webapi/api/zbservices/webapi/produce/workassign/handler/workassignshandler": ["getworkassigns", "saveworkassigns"],
  "/webapi/api/zbservices/webapi/produce/workingflow/handler/machinehandler": ["getmachines"],
  "/webapi/api/zbservices/webapi/sales/product/producthandler": ["getinvoicetypeslists", "getproductunitlists"],
  "/webapi/api/zbservices/webapi/store/stock/stockhandler": ["getwarehouses"],
  "/webapi/v3/attendance/attendancemanage/record": ["add"],
  "/webapi/v3/orgs/dept": ["add", "detail", "edit", "list"],
  "/webapi/v3/orgs/user": ["add", "delete", "detail", "edit"],
  "/webapi/v3/produce/machine": ["add"],
  "/webapi/v3/produce/material/substitution": ["add", "detail", "edit", "list"],
  "/webapi/v3/producev2/processreporttasklist": ["list"],
  "/webapi/v3/producev2/bom": ["add", "delete", "detail", "edit", "list"],
  "/webapi/v3/producev2/procedure": ["planlist"],
  "/webapi/v3/producev2/processreport": ["add", "delete", "detail", "edit"],
  "/webapi/v3/producev2/processreportlist": ["detail", "summary"],
  "/webapi/v3/producev2/workflow/workingflow": ["add", "detail", "edit", "list"],
  "/webapi/v3/producev2/workflow/workingprocedure": ["add", "detail", "edit", "list"],
  "/webapi/v3/producev2/workflow/workingprocedure/class": ["list"],
  "/webapi/v3/producev2/workflow/workingprocedure/jobs": ["list"],
  "/webapi/v3/sale/contract": ["add"],
  "/webapi/v3/sales/contract/approve/approvestagelist": ["detail"],
  "/webapi/v3/sales/contract/approve": ["edit"],
  "/webapi/v3/sales/contract": ["detail"],
  "/webapi/v3/store/kuinapplyedit": ["edit"],
  "/webapi/v3/store": ["kuinapplylist", "kuoutapplylist", "warehousestructlist", "supplierlist"],
  "/webapi/v3/store/kuoutapplyedit": ["edit"],
  "/webapi/v3/store/inventory": ["inventorydetails", "inventorysummary", "detail", "edit"],
  "/webapi/v3/store/kuin": ["add"],
  "/webapi/v3/store/kuin/costmodify": ["edit"],
  "/webapi/v3/store/kuin/surekuin": ["edit"],
  "/webapi/v3/store/kuout": ["list", "detail"],
  "/webapi/v3/store/kuout/surekuout": ["edit"],
  "/webapi/v3/store/product": ["add", "edit"],
  "/webapi/v3/store/productbatch": ["add"],
  "/webapi/v3/store/supplierdetail": ["detail"],
  "/webapi/v3/uview/stock/pages/warehouse": ["settingapilist"]
}

const unimplemented = new Set(
  Object.entries(folders).flatMap(([folder, files]) => files.map((file) => `${folder}/${file}`))
)

/** Whether a lowercased path is a catalog page the mock does not implement. */
export const isUnimplementedCatalogPath = (route: string): boolean => unimplemented.has(route)
