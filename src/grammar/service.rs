//! Services on top of ssh: git hosting (GitHub, GitLab, Bitbucket,
//! gitolite) and git's own messages around ssh's.

use super::primitives::b;
use crate::event::EventKind;

/// Service and git messages.
pub fn parse(msg: &str) -> Option<EventKind<'_>> {
    let t = msg.trim();
    if let Some(rest) = t.strip_prefix("Hi ") {
        if t.contains("successfully authenticated") {
            let account = rest.split('!').next().map(b);
            return Some(EventKind::ServiceGreeting {
                service: b("GitHub"),
                account,
            });
        }
    }
    if let Some(rest) = t.strip_prefix("Welcome to GitLab, ") {
        let account = rest.trim_end_matches('!').trim_start_matches('@');
        return Some(EventKind::ServiceGreeting {
            service: b("GitLab"),
            account: Some(b(account)),
        });
    }
    let body = t
        .strip_prefix("remote: ")
        .or_else(|| t.strip_prefix("ERROR: "))
        .or_else(|| t.strip_prefix("GitLab: "))
        // Gogs and its forks Gitea and Forgejo name themselves the same way.
        .or_else(|| t.strip_prefix("Gogs: "))
        .or_else(|| t.strip_prefix("Gitea: "))
        .or_else(|| t.strip_prefix("Forgejo: "))
        .or_else(|| t.strip_prefix("FATAL: "))
        .or_else(|| t.strip_prefix("fatal: "))
        .or_else(|| t.strip_prefix("error: "));
    let Some(body) = body else {
        if (t.starts_with("R ") || t.starts_with("W ")) && t.contains(" DENIED") {
            return Some(EventKind::ServiceAccessDenied { text: b(t) });
        }
        if t.starts_with("Please make sure you have the correct access rights") {
            return Some(EventKind::GitMessage { text: b(t) });
        }
        return None;
    };
    let lower = body.to_ascii_lowercase();
    if lower.starts_with("could not read from remote repository") {
        return Some(EventKind::GitCouldNotRead {});
    }
    if lower.contains("repository not found")
        || lower.contains("does not appear to be a git repository")
        || lower.contains("could not be found or you don't have permission")
        || lower.contains("project you were looking for could not be found")
    {
        return Some(EventKind::ServiceNotFound { text: b(t) });
    }
    if lower.contains("permission to ") && lower.contains(" denied to ")
        || lower.contains(" denied by fallthru")
        || lower.contains("key audit")
        || lower.contains("marked as read only")
        || lower.contains("repository access denied")
        || (t.starts_with("FATAL: ") && lower.contains("denied"))
        || lower.contains("not allowed to push")
        || lower.contains("you are not allowed")
        || lower.starts_with("key permission denied")
    {
        return Some(EventKind::ServiceAccessDenied { text: b(t) });
    }
    Some(EventKind::GitMessage { text: b(t) })
}

#[cfg(test)]
mod tests {
    use crate::event::EventKind;
    use crate::grammar::parse_text;

    fn k(s: &str) -> EventKind<'_> {
        parse_text(s).1
    }

    #[test]
    fn git_hosting() {
        assert!(matches!(
            k("Hi octocat! You've successfully authenticated, but GitHub does not provide shell access."),
            EventKind::ServiceGreeting { .. }
        ));
        assert!(matches!(
            k("ERROR: Permission to octo/repo.git denied to other-user."),
            EventKind::ServiceAccessDenied { .. }
        ));
        assert!(matches!(
            k("Gitea: Key permission denied"),
            EventKind::ServiceAccessDenied { .. }
        ));
        assert!(matches!(
            k("ERROR: Repository not found."),
            EventKind::ServiceNotFound { .. }
        ));
        assert_eq!(
            k("fatal: Could not read from remote repository."),
            EventKind::GitCouldNotRead {}
        );
        assert!(matches!(
            k("fatal: '~/repos/projet.git' does not appear to be a git repository"),
            EventKind::ServiceNotFound { .. }
        ));
        assert!(matches!(
            k("FATAL: R any payroll alice DENIED by fallthru"),
            EventKind::ServiceAccessDenied { .. }
        ));
        assert!(matches!(
            k("GitLab: The project you were looking for could not be found or you don't have permission to view it."),
            EventKind::ServiceNotFound { .. }
        ));
        assert!(matches!(
            k("fatal: unable to access 'x'"),
            EventKind::GitMessage { .. }
        ));
    }
}
