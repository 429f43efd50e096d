namespace WorkloadCredentials.Internal;

/// <summary>
/// The name an options error gives a setting: its configuration key (<c>AWS:Backups:InstanceMetadata:Timeout</c>) when the options
/// were bound from configuration, else its option path (<c>InstanceMetadata.Timeout</c>, or <c>ImdsCredentialOptions.Timeout</c> for
/// options handed to a source directly). The root is chosen once, by whoever starts the validation (the DI layer, or
/// <see cref="AwsCredentialSources"/>); each validator only adds member names, so no message is ever rewritten afterwards.
/// </summary>
/// <param name="Prefix">The path so far; empty at the root of options built in code.</param>
/// <param name="Separator"><c>':'</c> for configuration keys, <c>'.'</c> for option paths.</param>
internal readonly record struct SettingPath(string Prefix, char Separator)
{
    /// <summary>Gets the root of options built in code: errors name <c>StaticKeys.AccessKeyId</c>.</summary>
    public static SettingPath Code { get; } = new(string.Empty, '.');

    /// <summary>Gets the root of options bound from the configuration section at <paramref name="sectionPath"/> (<c>AWS</c>, <c>AWS:Backups</c>).</summary>
    public static SettingPath Configuration(string sectionPath) => new(sectionPath, ':');

    /// <summary>Gets the root of an options type handed to a source directly: errors name <c>ImdsCredentialOptions.Timeout</c>.</summary>
    public static SettingPath OfType(string typeName) => new(typeName, '.');

    /// <summary>Gets the path of a nested options object (<c>InstanceMetadata</c>).</summary>
    public SettingPath Child(string member) => new(Key(member), Separator);

    /// <summary>Gets the full name of a setting under this path.</summary>
    public string Key(string member) => Prefix.Length == 0 ? member : string.Concat(Prefix, Separator.ToString(), member);

    public override string ToString() => Prefix;
}
