//! What the AWS-managed policies a template attaches most often grant, as
//! AWS documents them (the AWS Managed Policy Reference Guide), so the role
//! checks can read a template's role without the account. A managed policy
//! not listed here, and a customer-managed one the template does not
//! declare, cannot be read: the role's checks are skipped and the lint says
//! so.

use serde_json::{json, Value};

/// The document of the AWS-managed policy `arn`, when Bucketwire knows it.
pub fn aws_managed(arn: &str) -> Option<Value> {
    let name = arn.strip_prefix("arn:aws:iam::aws:policy/")?;
    let name = name.rsplit('/').next().unwrap_or(name);
    let logs = json!({"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"});
    let statements = match name {
        "AWSLambdaBasicExecutionRole" => vec![logs],
        "AWSLambdaExecute" => vec![
            json!({"Effect": "Allow", "Action": ["logs:*"], "Resource": "arn:aws:logs:*:*:*"}),
            json!({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::*"}),
        ],
        "AmazonS3ReadOnlyAccess" => vec![
            json!({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"], "Resource": "*"}),
        ],
        "AmazonS3FullAccess" => vec![
            json!({"Effect": "Allow", "Action": ["s3:*", "s3-object-lambda:*"], "Resource": "*"}),
        ],
        "AWSLambdaSQSQueueExecutionRole" => vec![
            json!({"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], "Resource": "*"}),
            logs,
        ],
        "AWSLambdaVPCAccessExecutionRole" => vec![
            logs,
            json!({"Effect": "Allow", "Action": ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], "Resource": "*"}),
        ],
        "AWSXRayDaemonWriteAccess" => vec![
            json!({"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"], "Resource": "*"}),
        ],
        "CloudWatchLambdaInsightsExecutionRolePolicy" => vec![
            json!({"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:*:*:log-group:/aws/lambda-insights:*"}),
        ],
        _ => return None,
    };
    Some(json!({"Version": "2012-10-17", "Statement": statements}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_policies_are_read_and_others_are_not() {
        let read = aws_managed("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess").expect("known");
        assert_eq!(read["Statement"][0]["Action"][0], "s3:Get*");
        assert!(
            aws_managed("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
                .is_some()
        );
        assert!(aws_managed("arn:aws:iam::aws:policy/SomethingElse").is_none());
        assert!(aws_managed("arn:aws:iam::123456789012:policy/mine").is_none());
    }
}
