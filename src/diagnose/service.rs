//! Services on top of ssh: the login worked, the service said no.

use super::{causes, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::tr;
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
    #[ja("サービスがアクセスを拒否した", r#"
        ssh の認証は通りましたが、その先のサービス（GitHub、GitLab、Bitbucket、gitolite）が、
        要求したリポジトリへのアクセスを拒否しました。

        ## なぜ起きるか
        鍵が、アクセス権を持つのとは別のアカウントのものになっている（GitHub の二つ目の
        アカウント、別リポジトリのデプロイキー）、読み取り専用のデプロイキーで push した、
        アカウントの SSH 鍵の再確認（監査）が済んでいない、などです。

        ## 直し方
        鍵がどのアカウントとしてログインするかを `ssh -T git@github.com` で確かめ、正しい
        アカウントの鍵を使います。たとえば `Host` の別名と `IdentitiesOnly yes` で鍵を固定します。
    "#)]
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
    #[ja("リポジトリが見つからない", r#"
        ssh の認証は通りましたが、指定したリポジトリ（またはパス）が存在しません。
        あるいは、そのアカウントにアクセス権がなく、非公開リポジトリについてサービスが
        「見つからない」と答えています。

        ## なぜ起きるか
        リモート URL の打ち間違い、リポジトリの名前変更や移動、非公開リポジトリに
        アクセス権のないアカウントでログインしている、などです。

        ## 直し方
        URL（`git remote -v`）と、鍵がどのアカウントのものか（`ssh -T git@github.com`）を
        確かめます。
    "#)]
    NOT_FOUND = "service.not-found", Error, 95, "Repository not found", not_found;
}

fn service_host(ctx: &Ctx) -> String {
    format!(
        "{}{}",
        ctx.user
            .as_deref()
            .map(|u| format!("{}@", crate::shell::sh(u)))
            .unwrap_or_else(|| "git@".into()),
        ctx.host()
    )
}

fn access_denied(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::ServiceAccessDenied { .. }))?;
    let K::ServiceAccessDenied { text } = n.kind() else {
        return None;
    };
    let l = ctx.lang;
    let mut f = Finding::new(&ACCESS_DENIED, tr!(l, "Login worked, but the service refused access: \"{text}\".", "ログインはできましたが、サービスがアクセスを拒否しました: 「{text}」"), &[n]).steps([
        Step::run(tr!(l, "See which account your key logs in as:", "鍵がどのアカウントとしてログインするかを確かめます:"), format!("ssh -T {}{}", ctx.port_flag(), service_host(ctx))),
        Step::say(tr!(l, "If it is the wrong account, add the key of the right one (or give this account access). For several accounts use a Host alias per account with its own IdentityFile and `IdentitiesOnly yes`, and that alias in the remote URL.", "別のアカウントだった場合は、正しいアカウントに鍵を登録します（またはこのアカウントに権限を与えます）。複数のアカウントを使い分けるなら、アカウントごとに IdentityFile と `IdentitiesOnly yes` を持つ Host 別名を作り、リモート URL にその別名を使います。")),
        Step::say(tr!(l, "Deploy keys are per repository and read-only unless write access was granted.", "デプロイキーはリポジトリごとのもので、書き込み権限を付けない限り読み取り専用です。")),
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
    let l = ctx.lang;
    let mut f = Finding::new(&NOT_FOUND, tr!(l, "Login worked, but the repository was not found: \"{text}\".", "ログインはできましたが、リポジトリが見つかりませんでした: 「{text}」"), &[n]).steps([
        Step::run(tr!(l, "Check the remote URL for typos and case:", "リモート URL に打ち間違いや大文字・小文字の違いがないか確かめます:"), "git remote -v"),
        Step::run(tr!(l, "Private repositories look \"not found\" to accounts without access; see which account the key logs in as:", "非公開リポジトリは、権限のないアカウントからは「見つからない」ように見えます。鍵がどのアカウントとしてログインするかを確かめます:"), format!("ssh -T {}{}", ctx.port_flag(), service_host(ctx))),
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
