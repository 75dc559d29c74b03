/**
 * Pulumi's type token for the HydroProcess component; the plan summary groups child steps
 * by it and the state readers find processes by it. Apart from the component, whose module
 * loads @pulumi/kubernetes (half a second), so that reading a state does not.
 */
export const HYDRO_PROCESS_TOKEN = "hpx:index:HydroProcess";
