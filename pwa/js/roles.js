// Who sees what in the app; the server decides what each role may do, this only hides what it would refuse.
export const MANAGERS = ["safety_officer", "principal", "township_supervisor", "county_admin"];

export function isManager(user) {
  return MANAGERS.includes(user?.role);
}

export const ROLES = ["patroller", "grid_leader", "teacher", "safety_officer", "principal", "township_supervisor", "county_admin"];
const RANK = { patroller: 1, grid_leader: 1, teacher: 1, safety_officer: 2, principal: 2, township_supervisor: 3, county_admin: 4 };
/** the kind of unit each role belongs to */
export const ROLE_UNIT = { township_supervisor: "township", county_admin: "county" };

/** The roles a manager may give: strictly lower than their own. */
export function rolesBelow(user) {
  return isManager(user) ? ROLES.filter((role) => RANK[role] < RANK[user.role]) : [];
}

/** Who may acknowledge an escalation at each level: the people it tells there (app/escalation/services.py LEVEL_ROLES). */
export const ACK_ROLES = {
  1: ["grid_leader", "safety_officer", "principal"],
  2: ["safety_officer", "principal"],
  3: ["township_supervisor"],
  4: ["county_admin"],
};

export function mayAcknowledge(user, level) {
  return Boolean(ACK_ROLES[level]?.includes(user?.role));
}

/** Everyone has an inbox: escalations tell managers and grid leaders, hand-offs tell anyone whose turn it is
 * (a teacher who rectifies, a patroller whose report is closed out). */
export function hasInbox(user) {
  return Boolean(user?.role);
}

/** Township and county staff also watch what reached them in their whole area (升级督办). */
export function watchesEscalations(user) {
  return ["township_supervisor", "county_admin"].includes(user?.role);
}
