namespace WorkloadCredentials.Tool.Export;

/// <summary>POSIX shell quoting: a value in single quotes, where nothing is special except the single quote itself.</summary>
internal static class ShellQuoting
{
    /// <summary>Quotes <paramref name="value"/> for sh, bash and zsh: <c>it's</c> becomes <c>'it'\''s'</c>.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
