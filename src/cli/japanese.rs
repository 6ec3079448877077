//! The Japanese `--help`: every about, argument and heading of the English
//! definition, replaced by its Japanese text (a missing argument name
//! panics in clap, which the CLI tests catch).

use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}";

const AFTER_HELP: &str = "\
例:
  ssh -v user@host exit 2>&1 | sshexplain 接続の試みを説明する
  sshexplain run user@host                接続し、様子を見て説明する
  eval \"$(sshexplain init bash)\"          これから失敗する ssh をすべて説明する
  sshexplain                              ログを貼り付けてから Ctrl-D
  sshexplain trace.log other.log          保存したログを説明する
  sshexplain --format json trace.log      機械可読のレポート
  sshexplain explain auth.key-rejected    一つの原因の詳しい説明
  sshexplain explain --list               sshexplain が知っている原因の一覧
  sshexplain --lang en trace.log          英語で報告する

終了コード:
  0  接続に成功した（または警告だけが見つかった）
  1  失敗を診断した（または結果が分からない）
  2  使い方か入出力のエラー
  3  入力に ssh の出力がない（またはテキストではない: バイナリファイル。または
     知られた原因に当たらない、ほかのクライアントのメッセージだけ）
130  Ctrl-C でライブモードを終えた（それまでに届いた分の報告を先に表示）";

const REDACT_LONG: &str = "\
識別につながる値を一貫した仮名に置き換えたログを表示します。同じ値はどこでも同じ
仮名になるので、ログは読みやすいままで、`sshexplain` の診断も変わりません。

置き換えるもの: ユーザー名（user1）、ホスト名（host1.example）、IPv4 と IPv6 の
アドレス（192.0.2.x と 2001:db8::x）、22 以外のポート（10001...）、ホーム
ディレクトリと Windows のプロファイル、鍵のフィンガープリント
（SHA256:REDACTED1）、鍵のコメントとメールアドレス、ハッシュ化された known_hosts
の記録、GSSAPI のプリンシパル、シェルのプロンプトのユーザーとホスト、Host の
別名とパターン、ホスティングサービスのアカウント名とリポジトリ名、ProxyJump の
踏み台のユーザーとホスト、Windows のドメインとアカウントの SID、サーバーの
バナーの文面（`HTTP/1.1 400` のようなプロトコルの状態行は残します）。最初の
コメント行に、種類ごとに置き換えた数と、どのアドレスがプライベートでどれが
パブリックだったかを書きます。

残すもの: ループバックアドレスと localhost、22 番ポート、一般的なアカウント
root・git・user とクラウドのイメージの既定ユーザー（ubuntu、ec2-user、pi など）、
鍵ファイル名（id_ed25519）、アルゴリズム名と拡張名
（curve25519-sha256@libssh.org）、バージョン、そして ssh 自身が出す文言すべて。
すでに手で伏せられた値（<host>、xxx、[REDACTED]）はそのままです。";

/// Translates the help of the English command. The automatic `--help`
/// and `--version` flags are replaced by the same flags with Japanese help;
/// the automatic `help` subcommand is translated once the command is built
/// (its arguments are left alone: clap indexes them at build time).
pub fn help(cmd: Command) -> Command {
    let mut cmd = translate(cmd);
    cmd.build();
    let about = "このメッセージか、指定したサブコマンドのヘルプを表示します。";
    cmd.mut_subcommand("help", |s| {
        s.about(about).mut_subcommand("help", |h| h.about(about))
    })
}

fn translate(cmd: Command) -> Command {
    let cmd = common(cmd)
        .about("OpenSSH クライアントの出力から、SSH 接続が失敗した理由を説明します。")
        .after_help(AFTER_HELP)
        .subcommand_help_heading("コマンド")
        // Global: clap copies it, with this help, into every subcommand.
        .mut_arg("lang", |a| {
            a.help("レポートとメッセージの言語: en（英語）、ja（日本語）。既定は LC_ALL / LC_MESSAGES / LANG から決め、なければ英語。")
                .hide_possible_values(true)
        })
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("バージョンを表示します")
                .help_heading("オプション"),
        )
        .mut_arg("files", |a| {
            a.help("説明するログファイル。`-` または省略で標準入力を読みます。")
        })
        .mut_arg("quiet", |a| a.help("判定の行だけを表示します。"))
        .mut_arg("verbose", |a| a.help("解析したイベントと、貼り付けにある前の試行の全体も表示します。"))
        .mut_arg("redact", |a| {
            a.help("ユーザー名、ホスト、アドレスなどを仮名に置き換えて報告します（`sshexplain redact --help` を参照）。")
        })
        .mut_arg("stall", |a| {
            a.help("ライブモード（標準入力がパイプ、標準エラーが端末）で、接続が止まっている場所のヒントを出すまでの無出力の秒数（既定: 10）。")
                .hide_default_value(true)
        })
        .mut_arg("server", |a| {
            a.help("同じ接続のサーバー側のログ（`journalctl -u ssh`、auth.log、`sshd -d`）。クライアントの出力と結び付けて一つの報告にします。`-` で標準入力から読みます。")
        });
    let cmd = output_args(cmd);
    cmd.mut_subcommand("explain", |s| {
        common(s)
            .about("原因の詳しい説明を表示するか、原因を一覧します。")
            .mut_arg("id", |a| a.help("原因の ID。例: auth.key-rejected"))
            .mut_arg("list", |a| a.help("すべての原因をタイトル付きで一覧します。"))
            .mut_arg("format", |a| {
                a.help("ページの出力形式: text（端末向け）、json、markdown（既定: text）。")
                    .hide_possible_values(true)
                    .hide_default_value(true)
            })
    })
    .mut_subcommand("run", |s| {
        output_args(common(s))
            .about("システムの ssh で接続し（-v、BatchMode、ConnectTimeout、リモートコマンド `exit`）、様子を見て説明します。実行するコマンドはすべて表示します。")
            .mut_arg("deep", |a| a.help("-v の代わりに -vvv を使います。"))
            .mut_arg("interactive", |a| {
                a.help("端末での入力（パスワード、ホスト鍵の確認）を許します。")
            })
            .mut_arg("save", |a| a.help("ssh の生の出力をこのファイルにも保存します。"))
            .mut_arg("server_log", |a| {
                a.help("試行の後、このファイルからサーバーのログを読み（ここから読めるとき）、その接続を報告に結び付けます。")
            })
            .mut_arg("stall", |a| {
                a.help("「止まっている」ヒントを出すまでの無出力の秒数（ライブ表示、既定: 10）。")
                    .hide_default_value(true)
            })
            .mut_arg("ssh_args", |a| {
                a.help("ssh のオプション、接続先、省略可能なリモートコマンド。")
            })
    })
    .mut_subcommand("redact", |s| {
        common(s)
            .about("識別につながる値を一貫した仮名に置き換えたログを表示します。公開の場に貼っても安全で、診断もできます。")
            .long_about(REDACT_LONG)
            .mut_arg("files", |a| {
                a.help("ログファイル。`-` または省略で標準入力を読みます。複数のファイルは一つの仮名の表を共有します（それぞれ `==> NAME <==` の下に表示）。")
            })
    })
    .mut_subcommand("diff", |s| {
        output_args(common(s))
            .about("同じ接続先の、うまくいくログと失敗するログを比べ、失敗を説明する違いを示します。ファイルが一つなら、その中の試行（最後にうまくいったものと最後に失敗したもの）を比べます。")
            .mut_arg("working", |a| a.help("うまくいく接続のログ（または複数の試行を含む貼り付け）。"))
            .mut_arg("failing", |a| a.help("失敗する接続のログ。"))
    })
    .mut_subcommand("init", |s| {
        common(s)
            .about("ssh、scp、sftp を包むシェル関数を表示します。失敗するたびに説明されます。~/.bashrc に `eval \"$(sshexplain init bash)\"`。")
            .long_about(None)
            .mut_arg("shell", |a| {
                a.help("シェル: bash、zsh、fish、powershell。").hide_possible_values(true)
            })
    })
    .mut_subcommand("last", |s| {
        output_args(common(s))
            .about("`init` のラッパーが記録した最新の失敗を説明します。")
            .mut_arg("verbose", |a| a.help("解析したイベントもすべて表示します。"))
    })
    .mut_subcommand("completions", |s| {
        common(s)
            .about("シェルの補完スクリプトを表示します（bash、zsh、fish、elvish、powershell）。")
            .mut_arg("shell", |a| a.help("シェル。"))
    })
    .mut_subcommand("man", |s| {
        common(s)
            .about("man ページ（roff）を表示します。サブコマンドを指定するとそのページを、--dir を付けるとすべてのページ（sshexplain.1、sshexplain-run.1 など）を DIR に書き出します。")
            .mut_arg("subcommand", |a| a.help("ページを表示するサブコマンド（sshexplain-SUBCOMMAND(1)）。"))
            .mut_arg("dir", |a| a.help("代わりに、すべてのページをこのディレクトリに書き出します。"))
    })
    .mut_subcommand("parse", |s| {
        output_args(common(s))
            .about("ログを解析したイベントを表示します（1 行に 1 つ。--format json なら JSON Lines）。")
            .mut_arg("file", |a| {
                a.help("ログファイル。`-` または省略で標準入力を読みます。")
            })
    })
}

/// What every (sub)command shares: the template, headings and --help.
fn common(cmd: Command) -> Command {
    let cmd = cmd.help_template(TEMPLATE).mut_args(|a| {
        if a.is_positional() {
            a.help_heading("引数")
        } else {
            a.help_heading("オプション")
        }
    });
    cmd.disable_help_flag(true).arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help("ヘルプを表示します")
            .help_heading("オプション"),
    )
}

/// --format and --color, where a command has them.
fn output_args(cmd: Command) -> Command {
    cmd.mut_arg("format", |a| {
        a.help("出力形式: text（端末向け）、json（スキーマ sshexplain/1。入力が複数なら配列）、jsonl（入力ごとに 1 行の JSON）、markdown（Issue に貼る用）（既定: text）。")
            .hide_possible_values(true)
            .hide_default_value(true)
    })
    .mut_arg("color", |a| {
        a.help("色を使うとき: auto（既定。NO_COLOR と CLICOLOR_FORCE に従う）、always、never。")
            .hide_possible_values(true)
            .hide_default_value(true)
    })
}

#[cfg(test)]
mod tests {
    use sshexplain::lang::{is_japanese, Lang};

    fn untranslated(c: &clap::Command, path: &str, out: &mut Vec<String>) {
        let path = format!("{path} {}", c.get_name());
        let about = c.get_about().map(|s| s.to_string()).unwrap_or_default();
        if !about.chars().any(is_japanese) {
            out.push(format!("{path}: about `{about}`"));
        }
        for a in c.get_arguments() {
            let help = a.get_help().map(|s| s.to_string()).unwrap_or_default();
            if !help.chars().any(is_japanese) {
                out.push(format!("{path} {}: `{help}`", a.get_id()));
            }
        }
        for s in c.get_subcommands() {
            untranslated(s, &path, out);
        }
    }

    /// Every command and argument of the built command line, including
    /// the ones clap adds (help, version, the `help` subcommand), has
    /// Japanese help; a new option without a translation fails here.
    #[test]
    fn every_help_text_is_japanese() {
        let mut cmd = super::super::command(Lang::Ja);
        cmd.build();
        let mut out = Vec::new();
        untranslated(&cmd, "", &mut out);
        assert!(out.is_empty(), "untranslated help:\n{}", out.join("\n"));
    }
}
