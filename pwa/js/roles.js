// Who sees what in the app; the server decides what each role may do, this only hides what it would refuse.
export const MANAGERS = ["safety_officer", "principal", "township_supervisor", "county_admin"];

export function isManager(user) {
  return MANAGERS.includes(user?.role);
}
