# Two notification resources for one bucket, neither waiting for the
# permission, and a queue policy letting S3 in from any bucket.
resource "aws_s3_bucket" "logs" {
  bucket = "acme-tf-logs"
}

resource "aws_iam_role" "parse" {
  name               = "parse"
  assume_role_policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
EOF
}

resource "aws_iam_role_policy_attachment" "read" {
  role       = aws_iam_role.parse.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}

resource "aws_lambda_function" "parse" {
  function_name = "tf-parse"
  role          = aws_iam_role.parse.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "parse.zip"
}

resource "aws_lambda_permission" "from_logs" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.parse.arn
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.logs.arn
}

resource "aws_s3_bucket_notification" "app_logs" {
  bucket = aws_s3_bucket.logs.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.parse.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = "app/"
  }
}

resource "aws_s3_bucket_notification" "audit_logs" {
  bucket = aws_s3_bucket.logs.id
  queue {
    queue_arn = aws_sqs_queue.audit.arn
    events    = ["s3:ObjectRemoved:*"]
  }
}

resource "aws_sqs_queue" "audit" {
  name = "acme-tf-audit"
}

resource "aws_sqs_queue_policy" "audit" {
  queue_url = aws_sqs_queue.audit.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.audit.arn
    }]
  })
}
