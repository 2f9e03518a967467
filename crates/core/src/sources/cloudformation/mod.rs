//! CloudFormation templates (YAML or JSON), and SAM's and CDK's, which are
//! CloudFormation: `template` reads the sections, `intrinsics` evaluates
//! what a template alone can, `sam` expands SAM's resources into the ones
//! SAM's transform makes, `wiring` builds the document, `checks` finds
//! what only a template can get wrong.

pub mod checks;
pub mod intrinsics;
pub mod managed_policies;
pub mod sam;
pub mod template;
pub mod wiring;
