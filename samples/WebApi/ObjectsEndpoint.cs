using Amazon.S3;
using Amazon.S3.Model;

namespace WebApi;

/// <summary>GET /buckets/{bucket}/objects: up to 20 keys, listed with the S3 client from the container.</summary>
internal static class ObjectsEndpoint
{
    public static async Task<IResult> ListAsync(string bucket, string? prefix, IAmazonS3 s3, CancellationToken cancellationToken)
    {
        try
        {
            ListObjectsV2Response response = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, MaxKeys = 20 }, cancellationToken);
            return Results.Ok((response.S3Objects ?? []).Select(o => new { key = o.Key, size = o.Size, lastModified = o.LastModified }));
        }
        catch (AmazonS3Exception ex)
        {
            return Results.Json(new { error = ex.ErrorCode, message = ex.Message }, statusCode: (int)ex.StatusCode);
        }
    }
}
