//! What to change in a template for a finding the document's checks make:
//! the account-side fix a finding offers (Apply adds a statement) becomes
//! the resource or property to write in the file.

/// The change to make in the template for `rule`, when there is a usual one.
pub fn template_fix(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "missing-invoke-permission" => "add an AWS::Lambda::Permission (Action lambda:InvokeFunction, FunctionName the function, Principal s3.amazonaws.com, SourceArn the bucket's ARN written as text: !Sub 'arn:${AWS::Partition}:s3:::BUCKET-NAME', SourceAccount !Ref AWS::AccountId) and DependsOn it from the bucket",
        "permission-without-source-arn" => "give the grant a SourceArn naming the bucket's ARN as text (!Sub 'arn:${AWS::Partition}:s3:::BUCKET-NAME'); in a queue or topic policy, a Condition ArnLike aws:SourceArn; SAM's S3 event permission has none, so grant with your own AWS::Lambda::Permission instead",
        "permission-without-source-account" => "give the grant SourceAccount: !Ref AWS::AccountId (in a queue or topic policy, a Condition StringEquals aws:SourceAccount)",
        "role-cannot-read-objects" => "allow s3:GetObject on the bucket's objects in the function's role: a statement with Resource !Sub 'arn:${AWS::Partition}:s3:::BUCKET-NAME/*' (or SAM's S3ReadPolicy with BucketName from a parameter, not !Ref of the bucket)",
        "overlapping-configurations" => "make these entries' filters disjoint (a different prefix or suffix, or other event types), or merge them into one entry",
        "visibility-timeout-too-short" => "raise the queue's VisibilityTimeout to at least six times the function's Timeout",
        "no-dead-letter-queue" => "give the queue a RedrivePolicy (deadLetterTargetArn of another queue, maxReceiveCount)",
        "partial-batch-failures-off" => "add FunctionResponseTypes: [ReportBatchItemFailures] to the event source mapping (SAM: to the SQS event) and return the failed message ids",
        "role-cannot-consume-queue" => "allow sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on the queue in the function's role (SAM: SQSPollerPolicy)",
        "queue-policy-denies-s3" => "add an AWS::SQS::QueuePolicy statement: Principal Service s3.amazonaws.com, Action sqs:SendMessage, Resource the queue's ARN, Condition ArnLike aws:SourceArn the bucket's ARN and StringEquals aws:SourceAccount",
        "topic-policy-denies-s3" => "add an AWS::SNS::TopicPolicy statement: Principal Service s3.amazonaws.com, Action sns:Publish, Resource the topic, Condition ArnLike aws:SourceArn the bucket's ARN and StringEquals aws:SourceAccount",
        "missing-sns-permission" => "add an AWS::Lambda::Permission with Principal sns.amazonaws.com and SourceArn the topic's ARN",
        "missing-events-permission" => "add an AWS::Lambda::Permission with Principal events.amazonaws.com and SourceArn !GetAtt RULE.Arn",
        "recursive-trigger" => "write the function's output to another bucket or a prefix its trigger does not match",
        _ => return None,
    })
}
