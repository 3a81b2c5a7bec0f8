// The CPU architectures Ricochet builds for: the OCI name (image platforms, the addon's file names) → Node's name
// (process.arch, npm's node-linux-<arch>, node-gyp's --arch) and Debian's multiarch triplet (libraries, cross
// compilers). One table for the image build, the addon build and the base-image stand-in.
export const ARCHITECTURES = {
  amd64: { node: 'x64', triplet: 'x86_64-linux-gnu' },
  arm64: { node: 'arm64', triplet: 'aarch64-linux-gnu' },
};

/** The OCI name of this machine's architecture, or undefined for one Ricochet does not build for. */
export function hostArchitecture() {
  return Object.keys(ARCHITECTURES).find((arch) => ARCHITECTURES[arch].node === process.arch);
}
