using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace WorkloadCredentials.Benchmarks.Fakes;

/// <summary>The SigV4 work a request costs once it has credentials: AWSSDK.Core's signing key derivation and the signature over a string to sign.</summary>
internal static class RequestSigning
{
    private static readonly string Date = DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static readonly string StringToSign =
        "AWS4-HMAC-SHA256\n" + Date + "T000000Z\n" + Date + "/us-east-1/s3/aws4_request\n" + new string('e', 64);

    /// <summary>Signs the fixed string to sign with <paramref name="secretKey"/>; returns the signature's first byte so that nothing is optimised away.</summary>
    public static byte Sign(string secretKey)
    {
        byte[] key = AWS4Signer.ComposeSigningKey(secretKey, "us-east-1", Date, "s3");
        return AWS4Signer.ComputeKeyedHash(SigningAlgorithm.HmacSHA256, key, Encoding.UTF8.GetBytes(StringToSign))[0];
    }
}
