/** hpx's version: `hpx --version`, and the tooling every stack's ApplySet parent names (package.json's, kept equal by a test). */
export const HPX_VERSION = "0.1.0";
