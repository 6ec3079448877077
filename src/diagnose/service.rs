//! Services on top of ssh: the login worked, the service said no.

use super::{causes, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::trace::Trace;

causes! {
    /// ssh authenticated, but the service behind it (GitHub, GitLab,
    /// Bitbucket, gitolite) refused access to what you asked for.
    ///
    /// ## Why it happens
    /// The key belongs to another account than the one with access (a second
    /// GitHub account, a deploy key of another repository), a read-only deploy
    /// key used to push, an SSH key audit on the account.
    ///
    /// ## How to fix
    /// See which account the key logs in as (`ssh -T git@github.com`) and use
    /// the key of the right account, e.g. with a `Host` alias and
    /// `IdentitiesOnly yes`.
    ///
    /// ## Evidence
    /// `ERROR: Permission to OWNER/REPO.git denied to USER.`, `FATAL: W any repo user DENIED`
    ACCESS_DENIED = "service.access-denied", Error, 95, "The service refused access", access_denied;

    /// ssh authenticated, but the repository (or path) you asked for does not
    /// exist — or the account has no access and the service answers
    /// "not found" for private repositories.
    ///
    /// ## Why it happens
    /// A typo in the remote URL, a renamed or moved repository, or logging in
    /// as an account without access to a private repository.
    ///
    /// ## How to fix
    /// Check the URL (`git remote -v`) and which account the key belongs to
    /// (`ssh -T git@github.com`).
    ///
    /// ## Evidence
    /// `ERROR: Repository not found.`, `fatal: '...' does not appear to be a git repository`
    NOT_FOUND = "service.not-found", Error, 95, "Repository not found", not_found;
}

fn service_host(ctx: &Ctx) -> String {
    format!(
        "{}{}",
        ctx.user
            .as_deref()
            .map(|u| format!("{u}@"))
            .unwrap_or_else(|| "git@".into()),
        ctx.host()
    )
}

fn access_denied(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::ServiceAccessDenied { .. }))?;
    let K::ServiceAccessDenied { text } = n.kind() else {
        return None;
    };
    let mut f = Finding::new(&ACCESS_DENIED, format!("Login worked, but the service refused access: \"{text}\"."), &[n]).steps([
        Step::run("See which account your key logs in as:", format!("ssh -T {}{}", ctx.port_flag(), service_host(ctx))),
        Step::say("If it is the wrong account, add the key of the right one (or give this account access). For several accounts use a Host alias per account with its own IdentityFile and `IdentitiesOnly yes`, and that alias in the remote URL."),
        Step::say("Deploy keys are per repository and read-only unless write access was granted."),
    ]);
    f.cite(t.find(|k| matches!(k, K::GitCouldNotRead {})));
    f.cite(t.authenticated());
    Some(f)
}

fn not_found(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::ServiceNotFound { .. }))?;
    let K::ServiceNotFound { text } = n.kind() else {
        return None;
    };
    let mut f = Finding::new(&NOT_FOUND, format!("Login worked, but the repository was not found: \"{text}\"."), &[n]).steps([
        Step::run("Check the remote URL for typos and case:", "git remote -v"),
        Step::run("Private repositories look \"not found\" to accounts without access; see which account the key logs in as:", format!("ssh -T {}{}", ctx.port_flag(), service_host(ctx))),
    ]);
    f.cite(t.find(|k| matches!(k, K::GitCouldNotRead {})));
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn git_hosting() {
        assert_eq!(diagnose("ERROR: Permission to octo/repo.git denied to bob.\nfatal: Could not read from remote repository.\n").primary.cause.id, "service.access-denied");
        assert_eq!(
            diagnose(
                "ERROR: Repository not found.\nfatal: Could not read from remote repository.\n"
            )
            .primary
            .cause
            .id,
            "service.not-found"
        );
    }
}
