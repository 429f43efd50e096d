using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Tests.Profiles;

public sealed class ProfileFileParserTests
{
    [Fact]
    public void Parse_MalformedLine_MessageNamesFileAndLineButNotTheLine()
    {
        const string config = "[default]\nregion = us-east-1\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

        var ex = Assert.Throws<ProfileConfigurationException>(() => ProfileSet.Parse(config, "/home/u/.aws/config", null, null));

        Assert.Equal(
            "Profile: could not parse profile file /home/u/.aws/config line 3: Expected an '=' sign defining a property. Fix the file or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere.",
            ex.Message);
        Assert.Equal("Profile", ex.SourceName);
        Assert.False(ex.IsRecoverable);
        Assert.DoesNotContain("wJalrXUtnFEMI", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameKeyInBothFiles_CredentialsFileWinsAndIsRecordedAsTheOrigin()
    {
        ProfileSet set = ProfileSet.Parse(
            "[profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n", "/c/config",
            "[dev]\n\n# comment\naws_access_key_id = FROMCREDENTIALS\n", "/c/credentials");

        ProfileProperty key = set.Profiles["dev"].Properties["aws_access_key_id"];
        Assert.Equal("FROMCREDENTIALS", key.Value);
        Assert.Equal("/c/credentials", key.FilePath);
        Assert.Equal(4, key.LineNumber);
        Assert.Equal("/c/config", set.Profiles["dev"].Properties["region"].FilePath);
        Assert.Equal("/c/config and /c/credentials", set.Profiles["dev"].DescribeFiles());
    }

    [Fact]
    public void Parse_ServicesSection_SubPropertiesReadable()
    {
        ProfileSet set = ProfileSet.Parse(
            "[profile dev]\nservices = local\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:5000 ; comment\n  Other-Key = x\ns3 =\n endpoint_url = http://s3\n", "/c/config", null, null);

        IReadOnlyDictionary<string, string> sts = ProfileSection.ParseSubProperties(set.Services["local"].Get("sts")!);
        Assert.Equal("http://127.0.0.1:5000 ; comment", sts["endpoint_url"]);
        Assert.Equal("x", sts["other-key"]);
        Assert.Equal("http://s3", ProfileSection.ParseSubProperties(set.Services["local"].Get("s3")!)["endpoint_url"]);
    }

    [Fact]
    public void Parse_ServicesSectionInCredentialsFile_Ignored()
    {
        ProfileSet set = ProfileSet.Parse(null, null, "[services local]\nsts =\n  endpoint_url = http://x\n[dev]\na = b", "/c/credentials");

        Assert.Empty(set.Services);
        Assert.Equal(["dev"], set.Profiles.Keys);
    }
}
