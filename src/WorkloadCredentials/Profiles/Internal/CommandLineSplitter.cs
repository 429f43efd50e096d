using System.Buffers;
using System.Text;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Splits a <c>credential_process</c> command line into a program and its arguments when that needs no shell, so the
/// program runs directly (no shell start-up, no second round of expansion). Anything a shell would interpret (pipes,
/// redirects, variables, globs, escapes, <c>~</c>, comments, assignments, shell built-ins) makes the splitter give up, and
/// the line then runs under <c>/bin/sh -c</c> (Unix) or <c>cmd.exe /d /s /c</c> (Windows), as most AWS SDKs run every line.
/// </summary>
internal static class CommandLineSplitter
{
    private static readonly SearchValues<char> DoubleQuoteExpansions = SearchValues.Create("$`\\!");
    private static readonly SearchValues<char> WindowsSpecials = SearchValues.Create("&|<>^%!\r\n");

    /// <summary>Words that are shell syntax or built-ins (no program of that name, or one that would behave differently).</summary>
    private static readonly HashSet<string> PosixShellWords = new(StringComparer.Ordinal)
    {
        "!", "{", "}", ".", ":", "alias", "break", "case", "cd", "command", "continue", "do", "done", "elif", "else", "esac", "eval",
        "exec", "exit", "export", "fi", "for", "function", "if", "local", "read", "readonly", "return", "select", "set", "shift",
        "source", "then", "times", "trap", "type", "ulimit", "umask", "unalias", "unset", "until", "wait", "while",
    };

    private static readonly HashSet<string> WindowsShellWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "assoc", "break", "call", "cd", "chdir", "cls", "color", "copy", "date", "del", "dir", "echo", "endlocal", "erase", "exit",
        "for", "ftype", "goto", "if", "md", "mkdir", "mklink", "move", "path", "pause", "popd", "prompt", "pushd", "rd", "rem",
        "ren", "rename", "rmdir", "set", "setlocal", "shift", "start", "time", "title", "type", "ver", "verify", "vol",
    };

    /// <summary>
    /// Refuses a command line that holds a NUL character: no program can receive one (the operating system ends an argument there,
    /// so the program would run with a cut argument), neither run directly nor through a shell. The message does not quote the line.
    /// </summary>
    /// <exception cref="CredentialProcessException">The line holds a NUL character.</exception>
    public static void ThrowIfUnpassable(string commandLine)
    {
        if (commandLine.Contains('\0', StringComparison.Ordinal))
        {
            throw new CredentialProcessException(
                "the command line holds a NUL character (U+0000), which no program can receive; remove it from the credential_process setting",
                isRecoverable: false);
        }
    }

    /// <summary>Splits a POSIX command line into words, or returns <see langword="null"/> when it needs a shell.</summary>
    public static IReadOnlyList<string>? TrySplitPosix(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;

        for (int i = 0; i < commandLine.Length; i++)
        {
            char c = commandLine[i];
            switch (c)
            {
                case ' ' or '\t':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        _ = word.Clear();
                        inWord = false;
                    }

                    continue;

                case '\'':
                {
                    int end = commandLine.IndexOf('\'', i + 1);
                    if (end < 0)
                    {
                        return null;
                    }

                    _ = word.Append(commandLine, i + 1, end - i - 1);
                    inWord = true;
                    i = end;
                    continue;
                }

                case '"':
                {
                    int end = commandLine.IndexOf('"', i + 1);
                    if (end < 0)
                    {
                        return null;
                    }

                    string quoted = commandLine.Substring(i + 1, end - i - 1);
                    if (quoted.AsSpan().IndexOfAny(DoubleQuoteExpansions) >= 0)
                    {
                        return null;
                    }

                    _ = word.Append(quoted);
                    inWord = true;
                    i = end;
                    continue;
                }

                case '|' or '&' or ';' or '<' or '>' or '(' or ')' or '$' or '`' or '\\' or '*' or '?' or '[' or ']' or '{' or '}' or '\n' or '\r':
                    return null;

                case '~' or '#' when !inWord:
                    return null;

                default:
                    _ = word.Append(c);
                    inWord = true;
                    continue;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        // An empty program ('' or "") is left to the shell, which reports it as a command not found.
        if (words.Count == 0 || words[0].Length == 0 || words[0].Contains('=', StringComparison.Ordinal) || PosixShellWords.Contains(words[0]))
        {
            return null;
        }

        return words;
    }

    /// <summary>
    /// Splits a Windows command line into the program and the rest (Windows passes arguments as one string), or returns
    /// <see langword="null"/> when it needs <c>cmd.exe</c>.
    /// </summary>
    public static (string Program, string Arguments)? TrySplitWindows(string commandLine)
    {
        string line = commandLine.Trim();
        if (line.Length == 0 || line.AsSpan().IndexOfAny(WindowsSpecials) >= 0)
        {
            return null;
        }

        string program;
        string rest;
        if (line[0] == '"')
        {
            int end = line.IndexOf('"', 1);
            if (end < 0)
            {
                return null;
            }

            program = line[1..end];
            rest = line[(end + 1)..];
        }
        else
        {
            int space = line.AsSpan().IndexOfAny(' ', '\t');
            (program, rest) = space < 0 ? (line, string.Empty) : (line[..space], line[space..]);
        }

        return program.Length == 0 || WindowsShellWords.Contains(program) ? null : (program, rest.TrimStart());
    }
}
