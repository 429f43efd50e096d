using Microsoft.Extensions.Options;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.StaticKeys.Internal;

/// <summary>Explicit keys from <see cref="WorkloadCredentialsOptions.StaticKeys"/>: first in the default chain.</summary>
internal sealed class StaticKeysSourceDefinition : CredentialSourceDefinition
{
    public static StaticKeysSourceDefinition Instance { get; } = new();

    public override string Name => StaticKeysCredentialSource.Name;

    public override int ChainOrder => 100;

    public override bool IssuesLongTermKeys => true;

    public override IAwsCredentialSource Create(SourceBuildContext build) => new StaticKeysCredentialSource(build.Context.Options.StaticKeys);

    public override void Validate(WorkloadCredentialsOptions options, SettingPath root, ValidateOptionsResultBuilder errors)
    {
        StaticKeysCredentialOptions keys = options.StaticKeys;
        SettingPath path = root.Child("StaticKeys");
        bool hasKeyId = !string.IsNullOrWhiteSpace(keys.AccessKeyId);
        bool hasSecret = !string.IsNullOrWhiteSpace(keys.SecretAccessKey);
        bool hasToken = !string.IsNullOrWhiteSpace(keys.SessionToken);
        string keyId = path.Key("AccessKeyId");
        string secret = path.Key("SecretAccessKey");
        if (hasKeyId && !hasSecret)
        {
            errors.AddError($"{secret} is required when {keyId} is set.");
        }
        else if (hasSecret && !hasKeyId)
        {
            errors.AddError($"{keyId} is required when {secret} is set.");
        }
        else if (hasToken && !hasKeyId)
        {
            errors.AddError($"{keyId} and {secret} are required when {path.Key("SessionToken")} is set.");
        }
    }
}
